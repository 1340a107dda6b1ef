"""Builds envs/code/data/problems.jsonl, the bundled problems written for gymhub.

Run `python scripts/build_code_problems.py` to regenerate (the JSONL is committed).

Every problem has a gold solution; tests are inputs drawn from a fixed seed, and expected outputs
come from running the gold solution here (trusted code). The first two tests of each problem are
public (shown in the prompt); the rest are hidden.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "envs" / "code" / "data" / "problems.jsonl"
N_TESTS = 8
N_PUBLIC = 2


def ints(rng, n, lo, hi):
    return [rng.randint(lo, hi) for _ in range(n)]


def count_then_list(xs):
    """The usual list input: n on the first line, the n values on the second."""
    return f"{len(xs)}\n{' '.join(map(str, xs))}\n"


def two_distinct(rng):
    """2..20 integers holding at least two distinct values, the largest ones anywhere in range
    (a fixed top pair made every answer of second-largest the same)."""
    while True:
        xs = ints(rng, rng.randint(2, 20), -1000, 1000)
        if len(set(xs)) >= 2:
            return xs


def two_sum_args(rng):
    """[nums, target]: 8 distinct values, exactly one pair of which adds up to target, at
    positions drawn anew each time (fixed positions made every answer [1, 5])."""
    while True:
        xs = rng.sample(range(-500, 1000), 8)
        i, j = sorted(rng.sample(range(8), 2))
        target = xs[i] + xs[j]
        pairs = sum(xs[a] + xs[b] == target for a in range(8) for b in range(a + 1, 8))
        if pairs == 1:
            return [xs, target]


# (id, title, statement, solution, input generator(rng) -> stdin, difficulty)
STDIO = [
    (
        "sum-two",
        "Sum of two",
        "Read two integers a and b on one line and print a + b.",
        "a, b = map(int, input().split())\nprint(a + b)",
        lambda r: f"{r.randint(-(10**9), 10**9)} {r.randint(-(10**9), 10**9)}\n",
        1,
    ),
    (
        "max-list",
        "Maximum",
        "The first line holds n, the second n integers. Print the largest.",
        "n = int(input())\nprint(max(map(int, input().split())))",
        lambda r: count_then_list(ints(r, r.randint(1, 20), -1000, 1000)),
        1,
    ),
    (
        "reverse-string",
        "Reverse",
        "Read one line of text and print it reversed.",
        "print(input()[::-1])",
        lambda r: "".join(r.choice("abcdefxyz ") for _ in range(r.randint(1, 30))).strip() + "x\n",
        1,
    ),
    (
        "count-vowels",
        "Vowels",
        "Read a line of lowercase letters and print how many are vowels (aeiou).",
        "print(sum(c in 'aeiou' for c in input()))",
        lambda r: (
            "".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(1, 40))) + "\n"
        ),
        1,
    ),
    (
        "fizzbuzz",
        "FizzBuzz",
        "Read n and print the numbers 1..n, one per line, writing Fizz for multiples of 3, Buzz for multiples of 5 and FizzBuzz for multiples of both.",
        "n = int(input())\nfor i in range(1, n + 1):\n    print('FizzBuzz' if i % 15 == 0 else 'Fizz' if i % 3 == 0 else 'Buzz' if i % 5 == 0 else i)",
        lambda r: f"{r.randint(1, 40)}\n",
        1,
    ),
    (
        "factorial",
        "Factorial",
        "Read n (0 <= n <= 50) and print n!.",
        "import math\nprint(math.factorial(int(input())))",
        lambda r: f"{r.randint(0, 50)}\n",
        1,
    ),
    (
        "fibonacci",
        "Fibonacci",
        "Read n (0 <= n <= 90) and print F(n), with F(0)=0, F(1)=1.",
        "n = int(input())\na, b = 0, 1\nfor _ in range(n):\n    a, b = b, a + b\nprint(a)",
        lambda r: f"{r.randint(0, 90)}\n",
        1,
    ),
    (
        "is-prime",
        "Primality",
        "Read n (1 <= n <= 10^12) and print YES if n is prime, otherwise NO.",
        "n = int(input())\nok = n > 1\ni = 2\nwhile i * i <= n and ok:\n    ok = n % i != 0\n    i += 1\nprint('YES' if ok else 'NO')",
        lambda r: (
            f"{r.choice([r.randint(1, 10**6), r.choice([2, 3, 97, 7919, 1000003, 999999937])])}\n"
        ),
        2,
    ),
    (
        "gcd-lcm",
        "GCD and LCM",
        "Read two positive integers and print their gcd and lcm separated by a space.",
        "import math\na, b = map(int, input().split())\nprint(math.gcd(a, b), a * b // math.gcd(a, b))",
        lambda r: f"{r.randint(1, 10**6)} {r.randint(1, 10**6)}\n",
        1,
    ),
    (
        "palindrome",
        "Palindrome",
        "Read a word and print YES if it reads the same backwards, else NO.",
        "s = input().strip()\nprint('YES' if s == s[::-1] else 'NO')",
        lambda r: (lambda w: (w + w[::-1] if r.random() < 0.5 else w) + "\n")(
            "".join(r.choice("ab") for _ in range(r.randint(1, 8)))
        ),
        1,
    ),
    (
        "sort-numbers",
        "Sorting",
        "The first line holds n, the second n integers. Print them in non-decreasing order, space-separated.",
        "input()\nprint(*sorted(map(int, input().split())))",
        lambda r: count_then_list(ints(r, r.randint(1, 30), -100, 100)),
        1,
    ),
    (
        "word-count",
        "Word count",
        "Read one line and print the number of whitespace-separated words.",
        "print(len(input().split()))",
        lambda r: " ".join("w" * r.randint(1, 5) for _ in range(r.randint(1, 12))) + "\n",
        1,
    ),
    (
        "digit-sum",
        "Digit sum",
        "Read a non-negative integer with up to 1000 digits and print the sum of its digits.",
        "print(sum(map(int, input().strip())))",
        lambda r: str(r.randint(0, 10 ** r.randint(1, 200))) + "\n",
        1,
    ),
    (
        "binary",
        "To binary",
        "Read a non-negative integer n and print its binary representation without leading zeros.",
        "print(bin(int(input()))[2:])",
        lambda r: f"{r.randint(0, 10**12)}\n",
        1,
    ),
    (
        "second-largest",
        "Second largest distinct",
        "The first line holds n, the second n integers with at least two distinct values. Print the second largest distinct value.",
        "input()\nprint(sorted(set(map(int, input().split())))[-2])",
        lambda r: count_then_list(two_distinct(r)),
        2,
    ),
    (
        "matrix-trace",
        "Trace",
        "The first line holds n; n lines of n integers follow. Print the sum of the main diagonal.",
        "n = int(input())\nprint(sum(list(map(int, input().split()))[i] for i in range(n)))",
        lambda r: (
            lambda n: (
                f"{n}\n" + "".join(" ".join(map(str, ints(r, n, -9, 9))) + "\n" for _ in range(n))
            )
        )(r.randint(1, 6)),
        1,
    ),
    (
        "anagram",
        "Anagrams",
        "Read two words on separate lines and print YES if one is an anagram of the other, else NO.",
        "a = input().strip()\nb = input().strip()\nprint('YES' if sorted(a) == sorted(b) else 'NO')",
        lambda r: (
            lambda w: f"{w}\n{''.join(r.sample(w, len(w))) if r.random() < 0.5 else w + 'z'}\n"
        )("".join(r.choice("abcde") for _ in range(r.randint(1, 8)))),
        1,
    ),
    (
        "prefix-sums",
        "Range sums",
        "The first line holds n and q, the second n integers; each of the next q lines holds l r (1-based, inclusive). Print the sum of each range on its own line.",
        "import sys\nd = sys.stdin.read().split()\nn, q = int(d[0]), int(d[1])\na = list(map(int, d[2:2 + n]))\np = [0]\nfor x in a:\n    p.append(p[-1] + x)\nout = []\nfor i in range(q):\n    l, r = int(d[2 + n + 2 * i]), int(d[3 + n + 2 * i])\n    out.append(p[r] - p[l - 1])\nprint('\\n'.join(map(str, out)))",
        lambda r: (
            lambda n, q: (
                f"{n} {q}\n{' '.join(map(str, ints(r, n, -100, 100)))}\n"
                + "".join(
                    (lambda a, b: f"{min(a, b)} {max(a, b)}\n")(r.randint(1, n), r.randint(1, n))
                    for _ in range(q)
                )
            )
        )(r.randint(1, 20), r.randint(1, 10)),
        2,
    ),
    (
        "collatz",
        "Collatz steps",
        "Read n >= 1 and print how many steps of the Collatz map (n/2 if even, 3n+1 if odd) reach 1.",
        "n = int(input())\nc = 0\nwhile n != 1:\n    n = n // 2 if n % 2 == 0 else 3 * n + 1\n    c += 1\nprint(c)",
        lambda r: f"{r.randint(1, 10**6)}\n",
        1,
    ),
    (
        "caesar",
        "Caesar cipher",
        "The first line holds k (0 <= k < 26), the second a lowercase word. Print the word with each letter shifted forward by k in the alphabet (wrapping).",
        "k = int(input())\nprint(''.join(chr((ord(c) - 97 + k) % 26 + 97) for c in input().strip()))",
        lambda r: (
            f"{r.randint(0, 25)}\n{''.join(r.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(r.randint(1, 15)))}\n"
        ),
        1,
    ),
    (
        "count-distinct",
        "Distinct values",
        "The first line holds n, the second n integers. Print how many distinct values there are.",
        "input()\nprint(len(set(input().split())))",
        lambda r: count_then_list(ints(r, r.randint(1, 30), 0, 10)),
        1,
    ),
    (
        "balanced-brackets",
        "Balanced brackets",
        "Read a string of the characters ()[]{} and print YES if the brackets are balanced, else NO.",
        "s = input().strip()\nst = []\npairs = {')': '(', ']': '[', '}': '{'}\nok = True\nfor c in s:\n    if c in '([{':\n        st.append(c)\n    elif not st or st.pop() != pairs[c]:\n        ok = False\n        break\nprint('YES' if ok and not st else 'NO')",
        lambda r: (
            "".join(r.choice("()[]{}") for _ in range(r.randint(1, 6))) + "\n"
            if r.random() < 0.5
            else r.choice(["()", "([]{})", "{[()()]}", "(()"]) + "\n"
        ),
        2,
    ),
    (
        "primes-below",
        "Counting primes",
        "Read n (2 <= n <= 10^6) and print how many primes are below n.",
        "n = int(input())\ns = bytearray([1]) * n\ns[0:2] = b'\\x00\\x00'\nfor i in range(2, int(n ** 0.5) + 1):\n    if s[i]:\n        s[i * i::i] = bytearray(len(s[i * i::i]))\nprint(sum(s))",
        lambda r: f"{r.randint(2, 10**6)}\n",
        2,
    ),
    (
        "mean-median",
        "Mean and median",
        "The first line holds n, the second n integers. Print the mean and the median with exactly two decimals, separated by a space (for even n the median is the mean of the middle two).",
        "n = int(input())\na = sorted(map(int, input().split()))\nm = a[n // 2] if n % 2 else (a[n // 2 - 1] + a[n // 2]) / 2\nprint(f'{sum(a) / n:.2f} {m:.2f}')",
        lambda r: count_then_list(ints(r, r.randint(1, 15), -50, 50)),
        2,
    ),
    (
        "run-length",
        "Run-length encoding",
        "Read a word and print its run-length encoding: each maximal run of a letter as the letter followed by the run length.",
        "import itertools\nprint(''.join(k + str(len(list(g))) for k, g in itertools.groupby(input().strip())))",
        lambda r: "".join(r.choice("ab") * r.randint(1, 4) for _ in range(r.randint(1, 6))) + "\n",
        1,
    ),
    (
        "max-subarray",
        "Maximum subarray",
        "The first line holds n, the second n integers. Print the largest sum of a non-empty contiguous subarray.",
        "input()\nbest = cur = None\nfor x in map(int, input().split()):\n    cur = x if cur is None or cur < 0 else cur + x\n    best = cur if best is None else max(best, cur)\nprint(best)",
        lambda r: count_then_list(ints(r, r.randint(1, 30), -20, 20)),
        2,
    ),
    (
        "grid-paths",
        "Grid paths",
        "Read r and c (1 <= r, c <= 15) and print the number of monotone lattice paths from the top-left to the bottom-right cell of an r x c grid moving only right or down.",
        "import math\nr, c = map(int, input().split())\nprint(math.comb(r + c - 2, r - 1))",
        lambda r: f"{r.randint(1, 15)} {r.randint(1, 15)}\n",
        2,
    ),
    (
        "coin-change",
        "Coin change",
        "The first line holds n and target; the second n distinct positive coin values. Print the number of ways to make target with unlimited coins (order does not matter).",
        "n, t = map(int, input().split())\nways = [1] + [0] * t\nfor c in map(int, input().split()):\n    for v in range(c, t + 1):\n        ways[v] += ways[v - c]\nprint(ways[t])",
        lambda r: (lambda cs: f"{len(cs)} {r.randint(0, 100)}\n{' '.join(map(str, cs))}\n")(
            r.sample(range(1, 30), r.randint(1, 5))
        ),
        3,
    ),
    (
        "lis",
        "Longest increasing subsequence",
        "The first line holds n, the second n integers. Print the length of the longest strictly increasing subsequence.",
        "import bisect\ninput()\nt = []\nfor x in map(int, input().split()):\n    i = bisect.bisect_left(t, x)\n    t[i:i + 1] = [x]\nprint(len(t))",
        lambda r: count_then_list(ints(r, r.randint(1, 40), 0, 30)),
        3,
    ),
    (
        "edit-distance",
        "Edit distance",
        "Read two words on separate lines and print their Levenshtein distance.",
        "a, b = input().strip(), input().strip()\nd = list(range(len(b) + 1))\nfor i, x in enumerate(a, 1):\n    prev, d[0] = d[0], i\n    for j, y in enumerate(b, 1):\n        prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (x != y))\nprint(d[-1])",
        lambda r: (
            "".join(r.choice("abc") for _ in range(r.randint(1, 8)))
            + "\n"
            + "".join(r.choice("abc") for _ in range(r.randint(1, 8)))
            + "\n"
        ),
        3,
    ),
    (
        "bfs-grid",
        "Shortest path in a maze",
        "The first line holds h and w; h lines of w characters follow ('.' free, '#' wall). Print the length of the shortest 4-directional path from the top-left to the bottom-right cell, or -1 if there is none. Both corners are free.",
        "from collections import deque\nh, w = map(int, input().split())\ng = [input().strip() for _ in range(h)]\ndist = {(0, 0): 0}\nq = deque([(0, 0)])\nwhile q:\n    y, x = q.popleft()\n    for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):\n        ny, nx = y + dy, x + dx\n        if 0 <= ny < h and 0 <= nx < w and g[ny][nx] == '.' and (ny, nx) not in dist:\n            dist[(ny, nx)] = dist[(y, x)] + 1\n            q.append((ny, nx))\nprint(dist.get((h - 1, w - 1), -1))",
        lambda r: (
            lambda h, w: (
                f"{h} {w}\n"
                + "".join(
                    "".join(
                        "." if (y, x) in ((0, 0), (h - 1, w - 1)) or r.random() > 0.3 else "#"
                        for x in range(w)
                    )
                    + "\n"
                    for y in range(h)
                )
            )
        )(r.randint(1, 7), r.randint(1, 7)),
        3,
    ),
    (
        "knapsack",
        "0/1 knapsack",
        "The first line holds n and capacity W; n lines follow with weight and value. Print the largest total value of items with total weight at most W (each item at most once).",
        "n, W = map(int, input().split())\nbest = [0] * (W + 1)\nfor _ in range(n):\n    w, v = map(int, input().split())\n    for c in range(W, w - 1, -1):\n        best[c] = max(best[c], best[c - w] + v)\nprint(best[W])",
        lambda r: (
            lambda n: (
                f"{n} {r.randint(0, 50)}\n"
                + "".join(f"{r.randint(1, 20)} {r.randint(1, 100)}\n" for _ in range(n))
            )
        )(r.randint(1, 10)),
        3,
    ),
    (
        "components",
        "Connected components",
        "The first line holds n (vertices 1..n) and m; m lines follow with an undirected edge u v. Print the number of connected components.",
        "n, m = map(int, input().split())\np = list(range(n + 1))\ndef f(x):\n    while p[x] != x:\n        p[x] = p[p[x]]\n        x = p[x]\n    return x\nfor _ in range(m):\n    u, v = map(int, input().split())\n    p[f(u)] = f(v)\nprint(len({f(i) for i in range(1, n + 1)}))",
        lambda r: (
            lambda n, m: (
                f"{n} {m}\n" + "".join(f"{r.randint(1, n)} {r.randint(1, n)}\n" for _ in range(m))
            )
        )(r.randint(1, 15), r.randint(0, 12)),
        3,
    ),
    (
        "roman",
        "Roman numerals",
        "Read an integer 1 <= n <= 3999 and print it in Roman numerals.",
        "n = int(input())\nout = ''\nfor v, s in ((1000, 'M'), (900, 'CM'), (500, 'D'), (400, 'CD'), (100, 'C'), (90, 'XC'), (50, 'L'), (40, 'XL'), (10, 'X'), (9, 'IX'), (5, 'V'), (4, 'IV'), (1, 'I')):\n    while n >= v:\n        out += s\n        n -= v\nprint(out)",
        lambda r: f"{r.randint(1, 3999)}\n",
        2,
    ),
    (
        "power-mod",
        "Modular power",
        "Read a, b and m (1 <= m <= 10^9) and print a^b mod m (a, b >= 0, b up to 10^18).",
        "a, b, m = map(int, input().split())\nprint(pow(a, b, m))",
        lambda r: f"{r.randint(0, 10**9)} {r.randint(0, 10**18)} {r.randint(1, 10**9)}\n",
        2,
    ),
    (
        "triangle",
        "Triangle type",
        "Read three positive integers (side lengths). Print NONE if they do not form a triangle with positive area, else EQUILATERAL, ISOSCELES or SCALENE.",
        "a, b, c = sorted(map(int, input().split()))\nif a + b <= c:\n    print('NONE')\nelif a == c:\n    print('EQUILATERAL')\nelif a == b or b == c:\n    print('ISOSCELES')\nelse:\n    print('SCALENE')",
        lambda r: r.choice(
            [f"{x} {x} {x}\n" for x in [r.randint(1, 9)]]
            + [f"{r.randint(1, 9)} {r.randint(1, 9)} {r.randint(1, 9)}\n"]
        ),
        1,
    ),
]

# (id, title, statement, fn_name, solution, args generator(rng) -> list, difficulty)
FUNCS = [
    (
        "fn-add",
        "add",
        "Write a Python function `add(a, b)` returning the sum of two integers.",
        "add",
        "def add(a, b):\n    return a + b",
        lambda r: [r.randint(-1000, 1000), r.randint(-1000, 1000)],
        1,
    ),
    (
        "fn-two-sum",
        "two_sum",
        "Write `two_sum(nums, target)` returning the list [i, j] (i < j) of the only pair of indices whose values add up to target.",
        "two_sum",
        "def two_sum(nums, target):\n    seen = {}\n    for j, x in enumerate(nums):\n        if target - x in seen:\n            return [seen[target - x], j]\n        seen[x] = j",
        two_sum_args,
        2,
    ),
    (
        "fn-is-palindrome",
        "is_palindrome",
        "Write `is_palindrome(s)` returning True when s, ignoring case and non-alphanumeric characters, reads the same backwards.",
        "is_palindrome",
        "def is_palindrome(s):\n    t = [c.lower() for c in s if c.isalnum()]\n    return t == t[::-1]",
        lambda r: [
            r.choice(
                [
                    "A man, a plan, a canal: Panama",
                    "race a car",
                    "",
                    "ab",
                    "No 'x' in Nixon",
                    "abcba",
                    "abca",
                ]
            )
        ],
        1,
    ),
    (
        "fn-flatten",
        "flatten",
        "Write `flatten(xs)` returning the nested list xs flattened into one list of integers, in order.",
        "flatten",
        "def flatten(xs):\n    out = []\n    for x in xs:\n        out.extend(flatten(x) if isinstance(x, list) else [x])\n    return out",
        lambda r: [r.choice([[1, [2, [3, [4]]]], [], [[[]]], [[1, 2], 3, [4, [5, 6]]], [7]])],
        2,
    ),
    (
        "fn-word-freq",
        "word_freq",
        "Write `word_freq(text)` returning a dict mapping each lowercase word (split on whitespace) to its count.",
        "word_freq",
        "def word_freq(text):\n    out = {}\n    for w in text.lower().split():\n        out[w] = out.get(w, 0) + 1\n    return out",
        lambda r: [
            " ".join(r.choice(["a", "b", "The", "the", "cat"]) for _ in range(r.randint(0, 8)))
        ],
        1,
    ),
    (
        "fn-merge-intervals",
        "merge_intervals",
        "Write `merge_intervals(intervals)` merging overlapping closed intervals [a, b] and returning them sorted by start.",
        "merge_intervals",
        "def merge_intervals(intervals):\n    out = []\n    for a, b in sorted(intervals):\n        if out and a <= out[-1][1]:\n            out[-1][1] = max(out[-1][1], b)\n        else:\n            out.append([a, b])\n    return out",
        lambda r: [
            [(lambda a: [a, a + r.randint(0, 5)])(r.randint(0, 20)) for _ in range(r.randint(0, 6))]
        ],
        2,
    ),
    (
        "fn-rotate",
        "rotate",
        "Write `rotate(matrix)` returning the square matrix rotated 90 degrees clockwise.",
        "rotate",
        "def rotate(matrix):\n    return [list(row) for row in zip(*matrix[::-1])]",
        lambda r: [
            (lambda n: [[r.randint(0, 9) for _ in range(n)] for _ in range(n)])(r.randint(1, 4))
        ],
        2,
    ),
    (
        "fn-primes",
        "primes_up_to",
        "Write `primes_up_to(n)` returning the sorted list of primes <= n.",
        "primes_up_to",
        "def primes_up_to(n):\n    return [p for p in range(2, n + 1) if all(p % d for d in range(2, int(p ** 0.5) + 1))]",
        lambda r: [r.randint(0, 200)],
        1,
    ),
    (
        "fn-mean",
        "mean",
        "Write `mean(xs)` returning the arithmetic mean of a non-empty list of numbers as a float.",
        "mean",
        "def mean(xs):\n    return sum(xs) / len(xs)",
        lambda r: [[r.randint(-100, 100) for _ in range(r.randint(1, 10))]],
        1,
    ),
    (
        "fn-count-islands",
        "count_islands",
        "Write `count_islands(grid)` returning the number of 4-connected groups of 1s in a grid of 0s and 1s.",
        "count_islands",
        "def count_islands(grid):\n    seen = set()\n    n = 0\n    for i, row in enumerate(grid):\n        for j, v in enumerate(row):\n            if v and (i, j) not in seen:\n                n += 1\n                stack = [(i, j)]\n                seen.add((i, j))\n                while stack:\n                    y, x = stack.pop()\n                    for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):\n                        a, b = y + dy, x + dx\n                        if 0 <= a < len(grid) and 0 <= b < len(grid[a]) and grid[a][b] and (a, b) not in seen:\n                            seen.add((a, b))\n                            stack.append((a, b))\n    return n",
        lambda r: [[[r.randint(0, 1) for _ in range(5)] for _ in range(r.randint(1, 5))]],
        3,
    ),
    (
        "fn-valid-ip",
        "is_valid_ipv4",
        "Write `is_valid_ipv4(s)` returning True for a dotted-quad IPv4 address (four decimal parts 0-255, no leading zeros).",
        "is_valid_ipv4",
        "def is_valid_ipv4(s):\n    parts = s.split('.')\n    return len(parts) == 4 and all(p.isdigit() and p.isascii() and str(int(p)) == p and int(p) <= 255 for p in parts)",
        lambda r: [
            r.choice(
                [
                    "1.2.3.4",
                    "255.255.255.255",
                    "256.1.1.1",
                    "01.2.3.4",
                    "1.2.3",
                    "a.b.c.d",
                    "0.0.0.0",
                    "1.2.3.4.5",
                ]
            )
        ],
        2,
    ),
    (
        "fn-group-anagrams",
        "group_anagrams",
        "Write `group_anagrams(words)` returning the groups of anagrams: each group sorted, groups sorted by their first word.",
        "group_anagrams",
        "def group_anagrams(words):\n    groups = {}\n    for w in words:\n        groups.setdefault(''.join(sorted(w)), []).append(w)\n    return sorted(sorted(g) for g in groups.values())",
        lambda r: [
            [
                r.choice(["eat", "tea", "tan", "ate", "nat", "bat", "tab"])
                for _ in range(r.randint(1, 6))
            ]
        ],
        2,
    ),
    (
        "fn-stock",
        "max_profit",
        "Write `max_profit(prices)` returning the best profit from one buy followed by one later sell (0 if none is positive).",
        "max_profit",
        "def max_profit(prices):\n    best, low = 0, None\n    for p in prices:\n        low = p if low is None else min(low, p)\n        best = max(best, p - low)\n    return best",
        lambda r: [[r.randint(1, 50) for _ in range(r.randint(0, 12))]],
        2,
    ),
    (
        "fn-transpose",
        "transpose",
        "Write `transpose(matrix)` returning the transpose of a rectangular matrix given as a list of rows.",
        "transpose",
        "def transpose(matrix):\n    return [list(col) for col in zip(*matrix)]",
        lambda r: [
            (lambda h, w: [[r.randint(0, 9) for _ in range(w)] for _ in range(h)])(
                r.randint(1, 4), r.randint(1, 4)
            )
        ],
        1,
    ),
    (
        "fn-roman-to-int",
        "roman_to_int",
        "Write `roman_to_int(s)` converting a valid Roman numeral (1..3999) to an integer.",
        "roman_to_int",
        "def roman_to_int(s):\n    v = {'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100, 'D': 500, 'M': 1000}\n    total = 0\n    for i, c in enumerate(s):\n        total += -v[c] if i + 1 < len(s) and v[c] < v[s[i + 1]] else v[c]\n    return total",
        lambda r: [r.choice(["III", "IV", "IX", "LVIII", "MCMXCIV", "MMXXIV", "XL", "CDXLIV"])],
        2,
    ),
]


def run_stdio(solution: str, stdin: str) -> str:
    out = io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(solution, "<gold>", "exec"), {"__name__": "__main__"})
    finally:
        sys.stdin = old_stdin
    return out.getvalue()


def distinct_inputs(pid: str, gen, key) -> list:
    """The test inputs of a problem: up to N_TESTS distinct draws of `gen` (distinct by `key`),
    from an rng seeded by the problem id, 200 draws at most."""
    rng = random.Random(f"gymhub-code-{pid}")
    inputs, seen = [], set()
    for _ in range(200):
        value = gen(rng)
        if key(value) not in seen:
            seen.add(key(value))
            inputs.append(value)
        if len(inputs) == N_TESTS:
            break
    return inputs


def build() -> list[dict]:
    records = []
    for pid, title, statement, solution, gen, difficulty in STDIO:
        stdins = distinct_inputs(pid, gen, key=lambda s: s)
        tests = [{"stdin": s, "expected_stdout": run_stdio(solution, s)} for s in stdins]
        examples = "\n\n".join(
            f"Example {i + 1}\nInput:\n{t['stdin']}Output:\n{t['expected_stdout']}"
            for i, t in enumerate(tests[:N_PUBLIC])
        )
        records.append(
            {
                "id": f"gymhub-code/{pid}",
                "question": f"# {title}\n\n{statement}\n\nRead from standard input and write to standard output.\n\n{examples}",
                "answer": {"language": "python", "tests": tests, "solution": solution},
                "metadata": {
                    "difficulty": difficulty,
                    "source": "gymhub",
                    "kind": "stdio",
                    "public_tests": tests[:N_PUBLIC],
                },
            }
        )
    for pid, title, statement, fn_name, solution, gen, difficulty in FUNCS:
        namespace: dict = {}
        exec(compile(solution, "<gold>", "exec"), namespace)
        argsets = distinct_inputs(pid, gen, key=json.dumps)
        tests = [
            {
                "args": a,
                "kwargs": {},
                "expected": json.loads(json.dumps(namespace[fn_name](*json.loads(json.dumps(a))))),
            }
            for a in argsets
        ]
        examples = "\n".join(
            f"{fn_name}({', '.join(json.dumps(x) for x in t['args'])}) == {json.dumps(t['expected'])}"
            for t in tests[:N_PUBLIC]
        )
        records.append(
            {
                "id": f"gymhub-code/{pid}",
                "question": f"# {title}\n\n{statement}\n\nExamples (JSON values):\n{examples}",
                "answer": {
                    "language": "python",
                    "fn_name": fn_name,
                    "tests": tests,
                    "solution": solution,
                },
                "metadata": {
                    "difficulty": difficulty,
                    "source": "gymhub",
                    "kind": "function",
                    "public_tests": tests[:N_PUBLIC],
                },
            }
        )
    for record in records:
        hidden = record["answer"]["tests"][N_PUBLIC:]
        answers = {json.dumps(t.get("expected", t.get("expected_stdout"))) for t in hidden}
        if len(answers) < 2:  # one constant answer (or a table of the examples) would pass
            raise SystemExit(f"{record['id']}: every hidden test expects {answers.pop()}")
    return records


if __name__ == "__main__":
    rows = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, sort_keys=True) + "\n")
    print(f"wrote {len(rows)} problems to {OUT}")
