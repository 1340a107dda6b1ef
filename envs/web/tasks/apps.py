"""App-style tasks: search, inbox, shop, sortable and filterable tables, drag and drop, reading."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from gymhub.envs.web.tasks.base import NAMES, WORDS, Redirect, WebTask, esc, flat, page

if TYPE_CHECKING:  # the server module (http.server) loads with the env, not at registration
    from gymhub.envs.web.server import SiteState

_SKU_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}-\d{4}(?![0-9])")
# what a message may name as a SKU however it spells it: two letters, up to three separators of
# any kind (a space, an underscore, a dash of any width, none) and four digits of any script
_SKU_LIKE_RE = re.compile(r"(?<![^\W\d_])([^\W\d_]{2})[\W_]{0,3}(\d{4})(?!\d)")
# dashes that write the SKU's hyphen (U+2011, the non-breaking hyphen, is what several chat
# models print for a `-`): the asked SKU written with one is the asked SKU
_DASHES_RE = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")


# A message that denies, asks about or doubts the code it names does not report it: "not
# AB-1234", "Is it AB-1234?", "maybe AB-1234", "AB-1234 (not sure)", "AB-1234. Wrong, sorry."
_DENIED_BEFORE = re.compile(
    r"(?:\bnot|\bnever|n['\u2019]t|\bno(?!\s+(?:doubt|problem|worries)\b))(?:\s+(?:\w+|the\s+\w+))?\s*[:\-]?\s*$"
    # the code excluded: "anything but AB-1234", "except AB-1234", "other than AB-1234"
    r"|\b(?:(?:any|every|some)(?:thing|one)\s+but|except(?:\s+for)?|excluding|other\s+than"
    r"|rather\s+than|instead\s+of)\s*[:\-]?\s*$"
    r"|~~\s*$",  # struck through: ~~AB-1234~~
    re.I,
)
_DOUBT = re.compile(
    r"\b(?:maybe|perhaps|possibly|probably|might|guess|guessing|unsure|uncertain"
    r"|not\s+(?:sure|certain|confident)|no\s+idea|can['\u2019]?t\s+tell|could\s+be)\b",
    re.I,
)
# A retraction right after the code is a run of these words that ends there ("No.", "Wrong,
# sorry.", "No, wait", "Oops!"): a sentence that only begins with one of them goes on to say
# something else ("No other product has it.", "Sorry for the delay.", "Wait for more
# instructions.") and took the stated code back, so a right answer earned 0
_RETRACT_WORD = r"(?:no|nope|nah|wrong|incorrect|false|actually|wait|sorry|oops)"
_RETRACTED_AFTER = re.compile(
    r"^\W*(?:" + _RETRACT_WORD + r"(?:[\s,]+" + _RETRACT_WORD + r")*\s*(?:[^\w\s]|$)"
    r"|scratch\s+that|ignore\s+(?:that|this))"
    r"|\b(?:is|was|that['\u2019]s|seems)\s+(?:wrong|incorrect|false|a\s+mistake"
    r"|not\s+(?:it|right|correct|true|the\s+(?:one|answer|code|sku)))"
    r"|\bor\s+(?:is|was)\s+it\b|\bor\s+not\b"  # "AB-1234... or is it", "AB-1234 or not"
    r"|^\s*~~"  # struck through
    r"|^[\s.,;:)]*[\u274c\u2716\u2717\u2718\u274e]",  # a cross mark right after the code
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?\n](?=\s|$)|\n")


def _doubted(message: str, start: int, end: int) -> bool:
    """Whether the code at `message[start:end]` is denied, asked about or doubted, or taken
    back right after, in its own sentence or the next one."""
    before = message[:start]
    cut = max((m.end() for m in _SENTENCE_END.finditer(before)), default=0)
    sentence_before = before[cut:]
    after = message[end:]
    stop = _SENTENCE_END.search(after)
    sentence_after = after[: stop.end() if stop else len(after)]
    rest = after[len(sentence_after) :]
    following = rest[: m.end()] if (m := _SENTENCE_END.search(rest)) else rest
    return bool(
        _DENIED_BEFORE.search(sentence_before)
        or sentence_after.rstrip().endswith("?")
        or _DOUBT.search(sentence_before + " " + sentence_after)
        or _RETRACTED_AFTER.search(sentence_after.lstrip(" .!,;:)"))
        or _RETRACTED_AFTER.search(following)
    )


def _norm(text: Any) -> str:
    return " ".join(str(text).lower().split())


class SearchOpen(WebTask):
    name = "SearchOpen"
    description = "Search a catalogue and open the named result."
    max_steps = 8

    def setup(self) -> None:
        n = 10 + 5 * self.difficulty
        pairs = set()
        while len(pairs) < n:
            pairs.add(f"{self.rng.choice(WORDS).capitalize()} {self.rng.choice(WORDS)}")
        self.titles = sorted(pairs)
        self.rng.shuffle(self.titles)
        self.target = self.rng.randrange(n)
        self.query = self.titles[self.target].split()[0]
        self.goal = (
            f'Search for "{self.query}" and open the result titled "{self.titles[self.target]}".'
        )
        self.plan = [
            ("fill", "#q", self.query),
            ("press", "#q", "Enter"),
            ("click", f"#r{self.target}"),
        ]

    def pages(self, method: str, path: str, params: Any, state: SiteState) -> str | None:
        form = (
            "<form method='get' action='search' role='search'>"
            "<input type='search' name='q' id='q' aria-label='Search'>"
            "<button type='submit' id='go'>Search</button></form>"
        )
        if path == "":
            return page("Search", "<h2>Catalogue</h2>" + form)
        if path == "search":
            q = _norm(flat(params).get("q", ""))
            hits = [i for i, t in enumerate(self.titles) if q and q in t.lower()]
            # the results this episode's searches showed: only these can be opened as found
            listed: set[int] = state.data.setdefault("listed", set())
            listed.update(hits)
            items = "".join(
                f"<li><a href='item/{i}' id='r{i}'>{esc(self.titles[i])}</a></li>" for i in hits
            )
            return page("Results", form + f"<p>{len(hits)} result(s)</p><ul>{items}</ul>")
        if path.startswith("item/") and path[5:].isdigit() and int(path[5:]) < len(self.titles):
            i = int(path[5:])
            if not state.done:
                # opening an item no search has shown (goto("item/7") guessed blind) ends the
                # episode unpaid: the task is to search and open, not to guess the address
                found = i in state.data.get("listed", ())
                state.done, state.outcome = True, {"item": i, "found_by_search": found}
            return page(self.titles[i], f"<h2>{esc(self.titles[i])}</h2><p>Item #{i}</p>")
        return None

    def check(self, outcome: dict[str, Any], state: SiteState, message: str | None) -> bool:
        return outcome.get("item") == self.target and outcome.get("found_by_search") is True


class EmailReply(WebTask):
    name = "EmailReply"
    description = "Open an email in an inbox and send a reply with a given text."
    max_steps = 10

    def setup(self) -> None:
        n = 4 + self.difficulty
        senders = self.rng.sample(NAMES, n)
        self.emails = [
            {
                "from": s,
                "subject": f"{self.rng.choice(WORDS).capitalize()} {self.rng.choice(WORDS)}",
                "body": " ".join(self.rng.choices(WORDS, k=12)) + ".",
            }
            for s in senders
        ]
        self.target = self.rng.randrange(n)
        self.reply = f"{self.rng.choice(WORDS)} {self.rng.choice(WORDS)} {self.rng.randint(2, 99)}"
        e = self.emails[self.target]
        self.goal = (
            f'Reply to the email from {e["from"]} (subject "{e["subject"]}") with the text '
            f'"{self.reply}".'
        )
        self.plan = [
            ("click", f"#m{self.target}"),
            ("click", "#reply"),
            ("fill", "#body", self.reply),
            ("click", "#send"),
        ]

    def pages(self, method: str, path: str, params: Any, state: SiteState) -> str | None:
        if path in ("", "inbox"):
            rows = "".join(
                f"<li><a href='email/{i}' id='m{i}'>{esc(e['from'])}: {esc(e['subject'])}</a></li>"
                for i, e in enumerate(self.emails)
            )
            return page("Inbox", f"<h2>Inbox</h2><ul>{rows}</ul>")
        kind, _, num = path.partition("/")
        if not num.isdigit() or int(num) >= len(self.emails):
            return None
        i, e = int(num), self.emails[int(num)]
        if kind == "email":
            body = (
                f"<h2>{esc(e['subject'])}</h2><p>From: {esc(e['from'])}</p><p>{esc(e['body'])}</p>"
                f"<a href='reply/{i}' id='reply'>Reply</a> <a href='inbox' id='back'>Inbox</a>"
            )
            return page(e["subject"], body)
        if kind == "reply":
            form = (
                f"<h2>Re: {esc(e['subject'])}</h2><form method='post' action='submit'>"
                f"<input type='hidden' name='email' value='{i}'>"
                "<label>Message<br><textarea name='body' id='body' rows='5' cols='50'></textarea>"
                "</label><br><button type='submit' id='send'>Send</button></form>"
            )
            return page("Reply", form)
        return None

    def check(self, outcome: dict[str, Any], state: SiteState, message: str | None) -> bool:
        # the reply is the asked text (case and spacing aside), not a text that contains it
        return outcome.get("email") == str(self.target) and _norm(self.reply) == _norm(
            outcome.get("body", "")
        )


class ShopCheckout(WebTask):
    name = "ShopCheckout"
    description = "Add the named products to a cart and check out (server-side cart)."
    max_steps = 14

    def setup(self) -> None:
        n = 5 + self.difficulty
        self.products = [
            (w.capitalize() + " " + k, self.rng.randint(3, 99))
            for w, k in zip(
                self.rng.sample(WORDS, n),
                self.rng.choices(["lamp", "mug", "bag", "pen", "hat"], k=n),
            )
        ]
        k = min(3, 1 + self.difficulty // 2)
        self.targets = sorted(self.rng.sample(range(n), k))
        self.buyer = f"{self.rng.choice(NAMES)} {self.rng.choice(NAMES)}"
        names = " and ".join(f'"{self.products[i][0]}"' for i in self.targets)
        self.goal = f'Buy one of each of {names}, then check out with the name "{self.buyer}".'
        self.plan = [("click", f"#add{i}") for i in self.targets] + [
            ("click", "#cart"),
            ("click", "#checkout"),
            ("fill", "#name", self.buyer),
            ("click", "#place"),
        ]

    def _catalog(self, cart: list[int]) -> str:
        rows = "".join(
            f"<tr><td>{esc(p)}</td><td>${price}</td><td><form method='post' action='cart/add'>"
            f"<input type='hidden' name='id' value='{i}'><button id='add{i}'>Add to cart</button>"
            "</form></td></tr>"
            for i, (p, price) in enumerate(self.products)
        )
        return page(
            "Shop",
            f"<h2>Shop</h2><p><a href='cart' id='cart'>Cart ({len(cart)})</a></p>"
            f"<table><tr><th>Product</th><th>Price</th><th></th></tr>{rows}</table>",
        )

    def pages(self, method: str, path: str, params: Any, state: SiteState) -> str | Redirect | None:
        cart: list[int] = state.data.setdefault("cart", [])
        f = flat(params)
        if path in ("", "shop"):
            return self._catalog(cart)
        # the cart is what check() reads: once checkout is posted, nothing changes it any more
        if path in ("cart/add", "cart/remove") and method == "POST" and not state.done:
            i = str(f.get("id", ""))
            if i.isdigit() and int(i) < len(self.products) and len(cart) < 100:
                if path == "cart/add":
                    cart.append(int(i))
                elif int(i) in cart:
                    cart.remove(int(i))
            # a redirect, not the page itself: going back to a page that answered a post made
            # the browser post again, and the cart silently gained the item a second time
            return Redirect("shop" if path == "cart/add" else "cart")
        if path == "cart":
            rows = "".join(
                f"<li>{esc(self.products[i][0])} <form method='post' action='cart/remove' "
                f"style='display:inline'><input type='hidden' name='id' value='{i}'>"
                f"<button id='remove{n}'>Remove</button></form></li>"
                for n, i in enumerate(cart)
            )
            total = sum(self.products[i][1] for i in cart)
            return page(
                "Cart",
                f"<h2>Cart</h2><ul>{rows}</ul><p>Total: ${total}</p>"
                "<a href='checkout' id='checkout'>Checkout</a> <a href='shop' id='shop'>Shop</a>",
            )
        if path == "checkout":
            form = (
                "<h2>Checkout</h2><form method='post' action='submit'>"
                "<label>Name <input name='name' id='name'></label><br>"
                "<button type='submit' id='place'>Place order</button></form>"
            )
            return page("Checkout", form)
        return None

    def check(self, outcome: dict[str, Any], state: SiteState, message: str | None) -> bool:
        return (
            sorted(state.data.get("cart", [])) == self.targets
            and str(outcome.get("name", "")).strip() == self.buyer
        )


def _table_rows(rng: Any, n: int) -> list[dict[str, Any]]:
    names = [w.capitalize() for w in rng.sample(WORDS, n)]
    prices = rng.sample(range(5, 500), n)
    stock = rng.sample(range(0, 200), n)
    cats = ["Tools", "Garden", "Kitchen", "Books"]
    return [
        {"name": a, "price": p, "stock": s, "category": rng.choice(cats)}
        for a, p, s in zip(names, prices, stock)
    ]


class SortTable(WebTask):
    name = "SortTable"
    description = "Sort a table by a column in a given direction with its header buttons."
    max_steps = 8

    COLS = ("name", "price", "stock")

    def setup(self) -> None:
        self.rows = _table_rows(self.rng, 5 + self.difficulty)
        self.col = self.rng.choice(self.COLS)
        self.desc = self.rng.random() < 0.5
        order = "highest first" if self.desc else "lowest first"
        if self.col == "name":
            order = "Z to A" if self.desc else "A to Z"
        self.goal = f"Sort the table by {self.col.capitalize()} ({order}), then click Submit."
        clicks = 2 if self.desc else 1
        self.plan = [("click", f"#sort-{self.col}")] * clicks + [("click", "#submit")]

    def pages(self, method: str, path: str, params: Any, state: SiteState) -> str | None:
        if path:
            return None
        heads = "".join(
            f"<th><button type='button' id='sort-{c}' onclick=\"sortBy('{c}')\">"
            f"{c.capitalize()}</button></th>"
            for c in self.COLS
        )
        script = (
            f"const rows={json.dumps(self.rows)};let col='',dir='';"
            "function draw(){document.getElementById('body').innerHTML=rows.map(r=>"
            "`<tr><td>${r.name}</td><td>${r.price}</td><td>${r.stock}</td></tr>`).join('');"
            "document.getElementById('sort_col').value=col;"
            "document.getElementById('sort_dir').value=dir;"
            "document.getElementById('state').textContent=col?`Sorted by ${col} (${dir})`:'Unsorted';}"
            "function sortBy(c){dir=(col===c&&dir==='asc')?'desc':'asc';col=c;"
            "rows.sort((a,b)=>(a[c]<b[c]?-1:a[c]>b[c]?1:0)*(dir==='asc'?1:-1));draw();}draw();"
        )
        body = (
            f"<p id='state'></p><table><thead><tr>{heads}</tr></thead><tbody id='body'></tbody>"
            "</table>"
            + self.submit_form(
                "<input type='hidden' name='sort_col' id='sort_col'>"
                "<input type='hidden' name='sort_dir' id='sort_dir'>"
            )
        )
        return page("Table", body, script)

    def check(self, outcome: dict[str, Any], state: SiteState, message: str | None) -> bool:
        return outcome.get("sort_col") == self.col and outcome.get("sort_dir") == (
            "desc" if self.desc else "asc"
        )


class FilterTable(WebTask):
    name = "FilterTable"
    description = "Filter a table by category, then select its cheapest row."
    max_steps = 8

    def setup(self) -> None:
        self.rows = _table_rows(self.rng, 8 + 2 * self.difficulty)
        self.category = self.rng.choice(sorted({r["category"] for r in self.rows}))
        inside = [i for i, r in enumerate(self.rows) if r["category"] == self.category]
        self.best = min(inside, key=lambda i: self.rows[i]["price"])
        self.goal = (
            f'Use the filter to show only the "{self.category}" items, then click Select on the '
            "cheapest of them."
        )
        self.plan = [("select_option", "#filter", self.category), ("click", f"#sel{self.best}")]

    def pages(self, method: str, path: str, params: Any, state: SiteState) -> str | None:
        if path:
            return None
        cats = sorted({r["category"] for r in self.rows})
        options = "<option value=''>All</option>" + "".join(f"<option>{c}</option>" for c in cats)
        rows = "".join(
            f"<tr data-cat='{esc(r['category'])}'><td>{esc(r['name'])}</td>"
            f"<td>{esc(r['category'])}</td><td>${r['price']}</td><td><button name='choice' "
            f"value='{esc(r['name'])}' id='sel{i}'>Select</button></td></tr>"
            for i, r in enumerate(self.rows)
        )
        script = (
            "function applyFilter(){const c=document.getElementById('filter').value;"
            "document.getElementById('fv').value=c;document.querySelectorAll('tr[data-cat]')"
            ".forEach(r=>r.hidden=!!c&&r.dataset.cat!==c);}"
        )
        body = (
            f"<label>Category <select id='filter' onchange='applyFilter()'>{options}</select>"
            "</label><form method='post' action='submit'>"
            "<input type='hidden' name='filter' id='fv'><table>"
            f"<tr><th>Name</th><th>Category</th><th>Price</th><th></th></tr>{rows}</table></form>"
        )
        return page("Inventory", body, script)

    def check(self, outcome: dict[str, Any], state: SiteState, message: str | None) -> bool:
        return (
            outcome.get("filter") == self.category
            and outcome.get("choice") == self.rows[self.best]["name"]
        )


class DragItem(WebTask):
    name = "DragItem"
    description = "Drag a card from the backlog into a named column, then submit."
    max_steps = 8

    ZONES = ("Todo", "Doing", "Done")

    def setup(self) -> None:
        self.cards = [w.capitalize() for w in self.rng.sample(WORDS, 3 + self.difficulty)]
        self.card = self.rng.randrange(len(self.cards))
        self.zone = self.rng.randrange(len(self.ZONES))
        self.goal = (
            f'Drag the card "{self.cards[self.card]}" into the "{self.ZONES[self.zone]}" column, '
            "then click Submit."
        )
        self.plan = [("drag", f"#card{self.card}", f"#zone{self.zone}"), ("click", "#submit")]

    def pages(self, method: str, path: str, params: Any, state: SiteState) -> str | None:
        if path:
            return None
        cards = "".join(
            f"<div class='card' data-gh-drag='1' id='card{i}'>{esc(c)}</div>"
            for i, c in enumerate(self.cards)
        )
        zones = "".join(
            f"<div class='zone' data-gh-drop='1' aria-label='{z}' id='zone{i}'><b>{z}</b></div>"
            for i, z in enumerate(self.ZONES)
        )
        script = (
            "let held=null;document.addEventListener('mousedown',e=>{held=e.target.closest"
            "('[data-gh-drag]');if(held)e.preventDefault();});document.addEventListener('mouseup',"
            "e=>{const z=document.elementFromPoint(e.clientX,e.clientY);const zone=z&&z.closest"
            "('[data-gh-drop]');if(held&&zone){zone.appendChild(held);save();}held=null;});"
            "function save(){const m={};document.querySelectorAll('[data-gh-drag]').forEach(c=>"
            "m[c.textContent]=c.parentElement.getAttribute('aria-label'));"
            "document.getElementById('placement').value=JSON.stringify(m);}save();"
        )
        body = (
            f"<div class='zone' data-gh-drop='1' aria-label='Backlog' id='backlog'><b>Backlog</b>"
            f"{cards}</div>{zones}"
            + self.submit_form("<input type='hidden' name='placement' id='placement'>")
        )
        return page("Board", body, script)

    def check(self, outcome: dict[str, Any], state: SiteState, message: str | None) -> bool:
        try:
            placement = json.loads(str(outcome.get("placement", "")))
        except json.JSONDecodeError:
            return False
        if not isinstance(placement, dict):
            return False
        want = {c: "Backlog" for c in self.cards}
        want[self.cards[self.card]] = self.ZONES[self.zone]
        return placement == want


class ReadReport(WebTask):
    name = "ReadReport"
    description = "Find a fact on a product page and report it with send_msg."
    max_steps = 8

    def setup(self) -> None:
        n = 4 + self.difficulty
        self.names = [
            w.capitalize() + " " + self.rng.choice(["kit", "set", "box"])
            for w in self.rng.sample(WORDS, n)
        ]
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        self.skus = [
            f"{self.rng.choice(letters)}{self.rng.choice(letters)}-{self.rng.randint(1000, 9999)}"
            for _ in range(n)
        ]
        self.target = self.rng.randrange(n)
        self.goal = (
            f'Find the SKU of the product "{self.names[self.target]}" and report it with send_msg.'
        )
        self.plan = [("click", f"#p{self.target}"), ("send_msg", self.skus[self.target])]

    def pages(self, method: str, path: str, params: Any, state: SiteState) -> str | None:
        if path == "":
            items = "".join(
                f"<li><a href='product/{i}' id='p{i}'>{esc(n)}</a></li>"
                for i, n in enumerate(self.names)
            )
            return page("Products", f"<h2>Products</h2><ul>{items}</ul>")
        if path.startswith("product/") and path[8:].isdigit() and int(path[8:]) < len(self.names):
            i = int(path[8:])
            return page(
                self.names[i],
                f"<h2>{esc(self.names[i])}</h2><p>SKU: {self.skus[i]}</p>"
                f"<p>Weight: {(i * 37) % 900 + 100} g</p><a href='' id='home'>All products</a>",
            )
        return None

    def check(self, outcome: dict[str, Any], state: SiteState, message: str | None) -> bool:
        # Exactly one SKU-shaped code in the message, and it is the asked one: a message that
        # lists several SKUs (every product's, say) names candidates, it does not answer.
        # Written another way (`CD 5678`, `cd_5678`, `CD5678`), a second code is still a second
        # candidate; so is another product's number on its own (`AB-1234 or 5678`).
        if message is None:
            return False
        message = _DASHES_RE.sub("-", message)
        sku = self.skus[self.target]
        if not {c.upper() for c in _SKU_RE.findall(message)} <= {sku}:
            return False
        # the asked code itself may be spelled another way too (`AB 1234`, `ab_1234`, `AB1234`:
        # it scored 0), as a second code so spelled is a second candidate
        letters, digits = sku.split("-")
        if {(a.upper(), d) for a, d in _SKU_LIKE_RE.findall(message)} != {(letters, digits)}:
            return False
        numbers = set(re.findall(r"\d+", message)) - {digits}
        if any(other.split("-")[1] in numbers for other in self.skus):
            return False
        # the asked code stated, not denied, asked about or doubted ("not AB-1234", "AB-1234?")
        return not any(
            _doubted(message, m.start(), m.end())
            for m in _SKU_LIKE_RE.finditer(message)
            if (m.group(1).upper(), m.group(2)) == (letters, digits)
        )
