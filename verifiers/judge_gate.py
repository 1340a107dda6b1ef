"""The rule gate in front of LLM judges: answers with no content get 0 without asking the judge.

"One Token to Fool LLM-as-a-Judge" showed that judges accept bare reasoning openers (":", ".",
"Thought process:", "Let's solve this problem step by step.", "Solution", and their translations)
as correct answers. Such an answer carries no content, so the gate rejects it by rule: empty or
whitespace, punctuation and symbols only, or nothing but known openers (in any order and
combination, with markdown and punctuation around them, or with their letters spelled apart,
stretched or written as digits). Invisible characters, accents and letters of other scripts that
look like Latin ones are folded away before openers are matched.

`MASTER_KEYS` is also the canary set that probes a judge for this weakness.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

# Reasoning openers and answer labels, lower-cased (the gate compares case-insensitively).
OPENERS: tuple[str, ...] = (
    # English
    "thought process",
    "thinking process",
    "let's solve this problem step by step",
    "let's solve this step by step",
    "let's think step by step",
    "let me think step by step",
    "let's think about this step by step",
    "let's work through this step by step",
    "step by step",
    "step 1",
    "solution",
    "answer",
    "final answer",
    "the answer is",
    "reasoning",
    "reasoning process",
    "solution process",
    "explanation",
    "proof",
    "here is the solution",
    "here's the solution",
    "here is my reasoning",
    "here's my reasoning",
    "here is the answer",
    "here's the answer",
    "here is my answer",
    "here's my answer",
    "the final answer is",
    "let me think",
    "let's think",
    "let me think about this",
    "let me see",
    "let's see",
    "hmm",
    "let's break this down",
    "let me break this down",
    "let me solve this step by step",
    "let me solve this problem step by step",
    "i'll solve this step by step",
    "i will solve this step by step",
    "let's begin",
    "let's start",
    "let's solve this problem",
    "let's solve this",
    "let me solve this",
    "let me solve this problem",
    "let's tackle this problem step by step",
    "let's tackle this step by step",
    "let's analyze this step by step",
    "let's analyze this problem step by step",
    "let's break it down",
    "let's break it down step by step",
    "let's work through this",
    "let me work through this",
    "let me work through this step by step",
    "i'll think step by step",
    "i will think step by step",
    "to solve this problem",
    "thinking",
    "sure",
    "okay",
    "alright",
    "certainly",
    "of course",
    "let's solve the problem step by step",
    "let's approach this step by step",
    "let's approach this problem step by step",
    "let's go step by step",
    "let's go through this step by step",
    "here is the step by step solution",
    "here's the step by step solution",
    "here is a step by step solution",
    "here's a step by step solution",
    "to solve this, let's think step by step",
    "let me explain",
    "let's",
    "let me",
    "let's dive in",
    "i'll walk you through it",
    "my answer is",
    "the correct answer is",
    "great question",
    "good question",
    "got it",
    "ok",
    "um",
    "uh",
    "hm",
    # non-answers: what a layout holds when the model gives up (`<answer>I don't know</answer>`)
    "i don't know",
    "i do not know",
    "i don't know the answer",
    "i do not know the answer",
    "i dont know",
    "idk",
    "no idea",
    "not sure",
    "i'm not sure",
    "i am not sure",
    "i can't answer",
    "i cannot answer",
    "i can't answer this",
    "i cannot answer this",
    "no answer",
    "tbd",
    # Chinese
    "解",
    "答",
    "答案",
    "解答",
    "解析",
    "思考过程",
    "解题过程",
    "让我们一步一步地解决这个问题",
    "让我们一步一步思考",
    "我们一步一步来",
    "思考",
    "让我想想",
    "思路",
    "解题思路",
    "分析",
    "步骤",
    "详解",
    "回答",
    # Japanese
    "解答",
    "回答",
    "解説",
    "かいせつ",
    "考え方",
    "ステップバイステップで考えましょう",
    "答え",
    "こたえ",
    "解き方",
    "解法",
    "解答過程",
    # Korean
    "풀이",
    "정답",
    "해설",
    "답",
    "해답",
    # German
    "lösung",
    "antwort",
    "lösungsweg",
    "denkprozess",
    "lass uns das schritt für schritt lösen",
    "schritt für schritt",
    "loesung",
    # French
    "solution",
    "réponse",
    "raisonnement",
    "résolvons ce problème étape par étape",
    "étape par étape",
    # Spanish / Portuguese / Italian
    "solución",
    "respuesta",
    "resolvamos este problema paso a paso",
    "paso a paso",
    "solução",
    "resposta",
    "passo a passo",
    "soluzione",
    "risposta",
    # Russian
    "решение",
    "ответ",
    "давайте решим эту задачу шаг за шагом",
    "шаг за шагом",
    # answer and reasoning lead-ins in the languages above
    "答案是",
    "解答如下",
    "解题步骤",
    "推理过程",
    "让我们来解决这个问题",
    "答えは",
    "説明",
    "考察",
    "정답은",
    "생각",
    "la respuesta es",
    "vamos a resolver este problema paso a paso",
    "vamos a resolverlo paso a paso",
    "pensemos paso a paso",
    "razonamiento",
    "explicación",
    "la réponse est",
    "réfléchissons étape par étape",
    "démonstration",
    "die antwort ist",
    "lass uns schritt für schritt denken",
    "denken wir schritt für schritt",
    "lösungsansatz",
    "rechenweg",
    "erklärung",
    "begründung",
    "давайте подумаем шаг за шагом",
    "решение задачи",
    "пояснение",
    "a resposta é",
    "vamos resolver passo a passo",
    "la risposta è",
    "risolviamo passo dopo passo",
    "passo dopo passo",
    # Ukrainian, Polish, Czech
    "відповідь",
    "розв'язання",
    "розв'язок",
    "rozwiązanie",
    "odpowiedź",
    "řešení",
    "odpověď",
    # Dutch, Scandinavian, Finnish, Hungarian, Romanian
    "oplossing",
    "antwoord",
    "svar",
    "lösning",
    "løsning",
    "ratkaisu",
    "vastaus",
    "megoldás",
    "válasz",
    "soluție",
    "răspuns",
    # Turkish, Indonesian / Malay, Vietnamese
    "çözüm",
    "cevap",
    "yanıt",
    "jawaban",
    "jawapan",
    "penyelesaian",
    "lời giải",
    "giải",
    "đáp án",
    "trả lời",
    # Greek, Hebrew, Arabic, Persian, Hindi, Thai
    "λύση",
    "απάντηση",
    "פתרון",
    "תשובה",
    "الحل",
    "حل",
    "الإجابة",
    "الجواب",
    "پاسخ",
    "راه حل",
    "हल",
    "उत्तर",
    "समाधान",
    "คำตอบ",
    "วิธีทำ",
    # Italian
    "risoluzione",
    "svolgimento",
)

# The canary probes: master keys sent to the judge as answers to questions with known answers.
MASTER_KEYS: tuple[str, ...] = (
    ":",
    ".",
    ",",
    "Thought process:",
    "Let's solve this problem step by step.",
    "Solution",
    "解",
    "答案",
    "Lösung",
    "Solución",
)

# Markup that carries nothing by itself: an empty `\boxed{}` or `<think></think>` is no answer.
# Only layout commands go (a command such as `\infty` or `\pi` is content).
# Turn-control text of chat templates (`<|im_end|>`, `<|endoftext|>`, `<｜end▁of▁sentence｜>`,
# `</s>`, `[INST]`, `<<SYS>>`, `<end_of_turn>`) carries nothing either: a reply of only that is
# empty.
_EMPTY_MARKUP_RE = re.compile(
    r"\\(?:boxed|fbox|text|textbf|textit|mathrm|mathbf|displaystyle|quad|qquad)\b"
    r"|\\[,;:! ]|</?[a-z_]{1,20}>"
    r"|<\|[^|<>\s]{1,64}\|>|<｜[^｜<>\s]{1,64}｜>|\[/?INST\]|<</?SYS>>",
    re.IGNORECASE,
)

# Invisible characters a policy can put inside an opener ("Sol\u200bution" reads "Solution"):
# format characters (zero-width spaces and joiners, soft hyphens, bidi marks, tag characters),
# combining marks once decomposed (accents, variation selectors) and blank letters (Hangul
# fillers). And letters of other scripts that look like Latin ones ("Sоlution" with a Cyrillic
# о). Openers and answers are folded alike before they are compared, so "ответ" still matches.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_LOOKALIKES = str.maketrans(
    {
        **dict(zip("авекмнорстухѕіјԁһӏԛԝ", "abekmhopctyxsijdhlqw")),  # Cyrillic
        **dict(zip("αβεηικνορτυχγω", "abenikvoptuxyw")),  # Greek
        **dict(zip("օսհտɡɑıȷ", "ouhsgaij")),  # Armenian, Latin variants
        # Latin small capitals (`ꜱᴏʟᴜᴛɪᴏɴ`), which NFKC leaves as they are
        **dict(zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnoprstuvwyz")),
        # Cherokee capitals (case-folded text keeps them): `Ꮪolution`
        **dict(zip("ᎪᏴᏟᎠᎬᏀᎻᎥᎫᏦᏞᎷᏫᏢᎡᏚᎢᏔᏙᏃ", "abcdeghijklmoprstwvz")),
    }
)


def _fold_lookalikes(text: str) -> str:
    """`text` (case-folded) without invisible characters and accents, look-alike letters of
    other scripts as the Latin ones."""
    text = unicodedata.normalize("NFD", text)
    kept = (
        ch
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Mn", "Me") and ch not in _BLANK_LETTERS
    )
    return "".join(kept).translate(_LOOKALIKES)


# the spaces of an opener are optional: an invisible joiner between its words is dropped
_OPENER_RE = re.compile(
    "|".join(
        re.escape(o).replace(r"\ ", r"\s*")
        for o in sorted({_fold_lookalikes(o) for o in OPENERS}, key=len, reverse=True)
    ),
    re.IGNORECASE,
)

# Spelling variants of the openers, folded before they are matched: typographic apostrophes
# (`Let’s`, what many tokenizers and chat UIs write), `step-by-step` with hyphens or dashes,
# `let us` and the apostrophe-less `lets`, and runs of whitespace.
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2018\u2019\u201b\u02bc\u2032\uff07`\u00b4"})
_WORD_DASH = re.compile(r"(?<=\w)[\-\u2010-\u2015\u2212](?=\w)")
_LET_US = re.compile(r"\blet\s+us\b|\blets\b")


# empty step labels of a solution skeleton ("Step 1:\nStep 2:\nStep 3:"); a bare "Step 2" can
# answer "which step is wrong?", so only the labelled form (with its colon) is filler
_STEP_LABEL = re.compile(
    r"\b(?:"
    + "|".join(_fold_lookalikes(w) for w in ("step", "schritt", "étape", "paso", "шаг"))
    + r")\s*\d{1,3}\s*[:：]"
)


# Labels that head a section of working (`Analysis:`, `Approach:`); with their colon they carry
# nothing (bare, `Analysis` can be the answer to "which branch of mathematics ...?").
_SECTION_LABEL = re.compile(
    r"\b(?:analysis|approach|calculations?|steps|working|work|method|reasoning process"
    r"|solution steps|given|known|answer is|answer would be)\s*[:：]"
)

# markdown quote and list markers at the start of a line (`> Thought process:`, `1. Solution`,
# `- Answer:`, `(a) Reasoning`), before something else on it: a lone `>` or `1.` stays an answer
_QUOTE_MARKS = re.compile(
    r"(?m)^[ \t]*(?:>[ \t]*)*(?:(?:[-*•+]|\d{1,3}[.)]|\(\d{1,3}\)|\(?[a-z][.)])[ \t]+)?(?=\S)"
)

# Digits that spell letters (`S0lution`, `5olution`, `Solut1on`; `1`, `l` and `i` alike), read
# only where the answer also has letters and only to match openers (a number stays a number).
_LEET = str.maketrans("013457l", "oieasti")


def _squeeze(text: str) -> str:
    """`text` (folded) with only its letters and digits, leet digits as letters: how an opener
    reads once it is spelled apart (`S o l u t i o n`, `Sol-ution`, `S.o.l.u.t.i.o.n`) or run
    together with others."""
    return "".join(ch for ch in text.translate(_LEET) if ch.isalnum())


def _one_of_each_run(letters: str) -> str:
    """`letters` with every run of one letter as one: an opener stretched (`Hmmmm`, `Okaaay`)."""
    return re.sub(r"(.)\1+", r"\1", letters)


def _breaks_into(letters: str, words: frozenset[str], sizes: list[int]) -> bool:
    """Whether `letters` is a sequence of `words` (a word break: linear in the text, no regex
    backtracking; it stops where nothing reaches further)."""
    if not letters:
        return False
    reach = bytearray(len(letters) + 1)
    reach[0] = 1
    furthest = 0
    for i in range(len(letters)):
        if not reach[i]:
            if i > furthest:  # no opener ends beyond here: the text is not openers
                return False
            continue
        for size in sizes:
            end = i + size
            if end <= len(letters) and letters[i:end] in words:
                reach[end] = 1
                furthest = max(furthest, end)
    return bool(reach[-1])


def _without_repeats(text: str) -> str:
    """`text` with each sentence or line kept once, and a word repeated right after itself kept
    once: what is left of a padded reply."""
    seen: set[str] = set()
    kept = []
    for piece in re.split(r"(?<=[.!?。！？\n])", text):
        key = piece.strip()
        if key not in seen:
            seen.add(key)
            kept.append(piece)
    words = "".join(kept).split()
    return " ".join(w for i, w in enumerate(words) if i == 0 or w != words[i - 1])


def _spelled_apart_openers(folded: str) -> bool:
    """Whether the letters of `folded` are openers run together, whatever lies between them,
    each stretched or not (stretching is read on the whole text, where two openers can meet
    on one letter: `thought process` + `solution`, so both readings are tried)."""
    if not any(ch.isalpha() for ch in folded):
        return False
    letters = _squeeze(_SECTION_LABEL.sub(" ", _STEP_LABEL.sub(" ", folded)))
    if len(letters) > 4_000:  # at most 2,000 characters that are not filler, a few expanded
        return False
    return _breaks_into(letters, _PLAIN_OPENERS, _PLAIN_SIZES) or _breaks_into(
        _one_of_each_run(letters), _SQUEEZED_OPENERS, _SQUEEZED_SIZES
    )


# a run of ASCII filler (not `:`, which ends a label, nor `'`, in `let's`): one space will do, and
# the opener pattern then tries far fewer places (a 100,000-character run of `- ` took 0.4 s)
_FILLER_RUN = re.compile(r"[\s\-*_.,;!?#()\[\]{}\"`~|/\\]{2,}")


def _fold_spelling(text: str) -> str:
    text = _WORD_DASH.sub(" ", text.translate(_APOSTROPHES))
    return _FILLER_RUN.sub(" ", _LET_US.sub("let's", text))


_PLAIN_OPENERS = frozenset(_squeeze(_fold_spelling(_fold_lookalikes(o))) for o in OPENERS) - {""}
_PLAIN_SIZES = sorted({len(o) for o in _PLAIN_OPENERS})
_SQUEEZED_OPENERS = frozenset(_one_of_each_run(o) for o in _PLAIN_OPENERS)
_SQUEEZED_SIZES = sorted({len(o) for o in _SQUEEZED_OPENERS})

# Math symbols are answers, not filler: `∞`, `∅`, `≥`, `>` or `+` can be the whole right answer
# (a limit, an empty solution set, a comparison, a sign). `~` and `|` are markup as often as not.
_MATH_SYMBOL_FILLERS = frozenset("~|")


_ASCII_FILLER = str.maketrans(
    "", "", "".join(chr(c) for c in range(128) if not chr(c).isalnum() and chr(c) not in "+<=>")
)


def _is_filler(ch: str) -> bool:
    """Whitespace, punctuation, invisible format characters, and symbols other than math ones."""
    if ch.isspace():
        return True
    category = unicodedata.category(ch)
    if category == "Sm":
        return ch in _MATH_SYMBOL_FILLERS
    return category[0] in "PSZC"


def gate_reason(response: str) -> str | None:
    """Why `response` gets 0 without a judge call, or None when the judge should see it."""
    if not isinstance(response, str):
        raise TypeError(f"response must be a str, got {type(response).__name__}")
    text = unicodedata.normalize("NFKC", response)
    if not text.strip():
        return "empty answer"
    # ASCII filler deleted in C first: a character loop over 5 MB of dots took 1.4 s
    if all(_is_filler(ch) for ch in text.translate(_ASCII_FILLER)):
        return "answer is only punctuation or symbols"  # math symbols excepted
    if len(text) > 100_000:
        return None
    # openers are short; a long answer has content for the judge to read. Padding (whitespace,
    # punctuation, repeated lines, sentences and words) does not make an opener long: count
    # what is not filler once the repeats are gone (`Solution ` 300 times passed)
    if sum(not _is_filler(ch) for ch in text) > 2_000:
        text = _without_repeats(text)
        if sum(not _is_filler(ch) for ch in text) > 2_000:
            return None
    folded = _fold_lookalikes(_EMPTY_MARKUP_RE.sub(" ", text.casefold()))
    folded = _fold_spelling(_QUOTE_MARKS.sub("", folded))
    rest = _OPENER_RE.sub(" ", folded)
    rest = _SECTION_LABEL.sub(" ", _STEP_LABEL.sub(" ", rest))
    if all(_is_filler(ch) for ch in rest) or _spelled_apart_openers(folded):
        return "answer is only a reasoning opener (a known judge master key)"
    return None


def _plain_words(text: str) -> str:
    """`text` case-folded, spelled as the gate folds it, with only its letters and digits, one
    space between words: what two texts must share to say the same thing."""
    folded = _fold_lookalikes(unicodedata.normalize("NFKC", text).casefold())
    return " ".join(re.findall(r"[^\W_]+", folded))


# words that frame a copy of the question without answering it (in `_plain_words` form)
_FRAMING_WORDS = frozenset(
    "question questions q a problem task prompt request input query user assistant human you "
    "asked ask asks asking your my i we will can could would shall should let me us s here is "
    "was are the this that to of sure ok okay answer reply response restate repeat repeated "
    "again original given following below above said says".split()
)


# where the passage a question hands over starts (`Convert to uppercase: <passage>`)
_PASSAGE_START = re.compile(r"[:：\n\"“«「]")


def _transforms_passage(response: str, question: str, answer: str) -> bool:
    """Whether `response` is the question's passage rewritten, which the task can ask for
    (`Convert to uppercase: the quick brown fox`, `Fix the capitalization: ...`): an instruction
    of three words or more hands over a passage after a colon, a line break or a quote, the
    response's words are in that passage, and its exact text (spacing aside) is not in the
    question. A verbatim copy of the passage stays a copy."""
    start = _PASSAGE_START.search(question)
    if start is None or len(_plain_words(question[: start.start()]).split()) < 3:
        return False
    if answer not in _plain_words(question[start.end() :]):
        return False
    said = " ".join(response.split()).strip(" \"'“”‘’«»「」")
    return bool(said) and said not in " ".join(question.split())


def restates_question(response: str, question: str) -> bool:
    """Whether `response` only restates `question`: it is the question, or most of it (at least
    half), copied, or the question copied with nothing but openers, framing words and
    punctuation around it (case, spacing, punctuation, invisible characters and look-alike
    letters aside). A copy of the question is no answer, however a learned scorer rates its
    words. The passage a question hands over, rewritten as asked (another case or punctuation:
    `Convert to uppercase: ...`), is an answer; copied verbatim it is not."""
    if not isinstance(response, str) or not isinstance(question, str):
        raise TypeError("response and question must be str")
    if len(response) > 100_000:
        return False
    answer, asked = _plain_words(response), _plain_words(question)
    if len(asked) < 8 or not answer:
        return False
    if answer in asked:
        if _transforms_passage(response, question, answer):
            return False
        return 2 * len(answer) >= len(asked)
    if asked not in answer:
        return False
    # what is left once the question is taken out: openers, or words that only frame a copy
    # (`Question: ... Answer:`, `You asked: ...`, `I will explain ...`)
    rest = [w for w in answer.replace(asked, " ").split() if w not in _FRAMING_WORDS]
    return not rest or gate_reason(" ".join(rest)) is not None


# a sentence, clause or line: what a padded reply repeats (a stop needs no space after it:
# `renewable.Solar`; a decimal point is no stop)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;。！？；])(?![.!?;。！？；\d])|\n")
# ... and a clause (`X, X, X, X.`)
_CLAUSE_SPLIT = re.compile(r"(?<=[.!?;,。！？；，])(?![.!?;,。！？；，\d])|\n")
# what numbers or labels a repeat (`Step 2: X`, `2. X`, `(b) X`, `- X`, `Second, X`): the same
# sentence under another label is still a repeat
_ENUMERATOR = re.compile(
    r"^\s*(?:(?:step|schritt|paso|étape|etape|шаг)\s*\d{1,4}\s*[:.)\-]?"
    r"|\(?(?:\d{1,4}|[a-z]|[ivx]{1,5})[.):]|[-*•+>]|#{1,6}"
    r"|(?:first|second|third|fourth|fifth|next|then|finally|lastly|also|again)(?:ly)?\b,?)",
    re.IGNORECASE,
)


def _repeat_key(sentence: str) -> str:
    """What two sentences share when one repeats the other: the words and symbols (not the stops)
    of the sentence without its label, folded as the gate folds answers."""
    sentence = _ENUMERATOR.sub("", sentence, count=1)
    folded = _fold_lookalikes(unicodedata.normalize("NFKC", sentence).casefold())
    return " ".join(re.findall(r"[^\W_]+|[^\w\s.,;:!?。！？；，、]", folded))


def repetition_reason(response: str) -> str | None:
    """Why `response` is padding rather than an answer, or None: half of it or more repeats
    sentences, clauses or lines it already said (under any number or label: `Step 2: X` repeats
    `Step 1: X`), twelve words or more with at most three different ones (`the the the ...`;
    numbers do not count, so a matrix is no padding), or a reply of 128 bytes or more with
    letters that is one short piece over and over (it compresses to under a tenth). Repeats add nothing a reader needs, and a learned scorer
    that favours length pays them."""
    if not isinstance(response, str):
        raise TypeError(f"response must be a str, got {type(response).__name__}")
    text = response[:200_000]
    for split in (_SENTENCE_SPLIT, _CLAUSE_SPLIT):
        seen: set[str] = set()
        total = repeated = 0
        for sentence in split.split(text):
            if len(sentence) < 8:  # too short to count as a repeat: no need to fold it
                if not _ENUMERATOR.fullmatch(sentence.strip()):  # a bare `2.` says nothing
                    total += sum(ch.isalnum() for ch in sentence)
                continue
            key = _repeat_key(sentence)
            total += len(key)
            if len(key) >= 8 and key in seen:
                repeated += len(key)
            seen.add(key)
        if total >= 16 and 2 * repeated >= total:
            return f"{repeated} of its {total} characters repeat sentences it already said"
    words = re.findall(r"[^\W\d_]+", text[:20_000].casefold())
    if len(words) >= 12 and len(set(words)) <= 3:
        return f"{len(words)} words, only {len(set(words))} different: a few words over and over"
    raw = text.encode("utf-8", "surrogatepass")
    # from 128 bytes (`aaaa...`, `hahaha...` under 400 bytes were paid); a number is no padding
    if (
        len(raw) >= 128
        and len(zlib.compress(raw)) * 10 < len(raw)
        and re.search(r"[^\W\d_]", text) is not None
    ):
        return "it is one short piece of text repeated over and over"
    return None
