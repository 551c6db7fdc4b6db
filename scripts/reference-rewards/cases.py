"""Hand-written inputs for the reference-reward fixture.

Only inputs live here; every expected value is computed by generate.py from the reference code.
Case ids are positional (va-0001 is the first VIDEOAUTO_R1 entry, and so on), so append new cases at
the end of a list when the ids of existing cases should stay put.

Conventions:
  * solutions are written the way our manifests write them: a string for text types, [s, e] or
    [[s, e], ...] for temporal_grounding, {"answer": X, "segment": [s, e]} for grounded_qa;
  * doc=True marks a VideoAuto-R1 math/numerical case on which our Java MATH metric and math_verify
    are known to disagree: the pairs listed in the recipe notes and the notes' two systematic
    classes (equal non-numeric strings; bare LaTeX that math_verify cannot parse without $), and
    numbers math_verify misreads ("+42", a Unicode minus). It becomes
    "documented_difference": "math". Mark nothing else with it.
"""

MC4 = ["A. red", "B. blue", "C. green", "D. yellow"]
MC5 = ["A. one", "B. two", "C. three", "D. four", "E. five"]
GQA_OPTS = ["A. he opens the door", "B. he sits down", "C. he leaves", "D. he waves"]

THINK = "The clip shows the man reaching for the blue cup, so the blue option fits."
NBSP, NEL, IDEO, FIGSP, NNBSP = "\u00a0", "\u0085", "\u3000", "\u2007", "\u202f"
LSEP, ZWSP = "\u2028", "\u200b"
FALLBACK = "Let's analyze the problem step by step."


def wf(first, final, think=THINK):
    """A completion in VideoAuto-R1's shape: \\boxed{first}<think>...</think>\\boxed{final}."""
    return "\\boxed{" + first + "}<think>" + think + "</think>\\boxed{" + final + "}"


def rt(answer, think="I watched the clip and counted carefully."):
    """A completion in Video-R2's shape: <think>...</think><answer>...</answer>."""
    return "<think>" + think + "</think><answer>" + answer + "</answer>"


VIDEOAUTO_R1 = []


def va(problem_type, solution, completion, note, options=None, doc=False):
    VIDEOAUTO_R1.append(dict(problem_type=problem_type, solution=solution, options=options or [],
                             completion=completion, note=note, doc=doc))


# ---------------------------------------------------------------- multiple choice (-> exact_match)
def mc(completion, note, solution="B", options=MC4):
    va("multiple_choice", solution, completion, note, options)


mc(wf("B", "B"), "well-formed, both answers right")
mc(wf("C", "C"), "well-formed, both answers wrong")
mc(wf("A", "B"), "first answer wrong, final answer right")
mc(wf("B", "D"), "first answer right, final answer wrong")
mc("\\boxed{B}", "a single box and nothing else: both answers come from it, format fails")
mc("\\boxed{B}<think>The video shows a blue", "cut off inside the think: no </think>, the final answer is the only box in the whole text")
mc("\\boxed{C}<think>cut off", "cut off inside the think, wrong letter")
mc("\\boxed{B}<think>I see \\boxed{C} maybe", "cut off inside the think with a second box: whole text has two boxes, so no final answer")
mc("<think>" + THINK + "</think>\\boxed{B}", "no first box")
mc("\\boxed{B}<think>" + THINK + "</think>", "no final box after </think>")
mc(wf("B", "B") + "\\boxed{B}", "two boxes after </think>: final answer is empty")
mc("\\boxed{B}\\boxed{B}<think>" + THINK + "</think>\\boxed{B}", "two boxes before <think>: first answer is empty")
mc("\\boxed{A} \\boxed{B}<think>x</think>\\boxed{C}", "two first boxes, wrong final")
mc("\\boxed{B}</think>\\boxed{B}", "no <think>: the first part is the whole text (two boxes)")
mc("\\boxed{B}<think>x</think>y</think>\\boxed{B}", "two </think>: the final answer follows the last one, format fails")
mc("\\boxed{B}<think>x<think>y</think>\\boxed{B}", "two <think>: format fails")
mc("\\boxed{B}<think>maybe \\boxed{C} or \\boxed{D}</think>\\boxed{B}", "boxes inside the think are allowed")
mc(wf("{B}", "{B}"), "letter in braces inside the box (one nesting level)")
mc(wf("( b )", "( b )"), "letter with inner spaces in parentheses")
mc(wf("(b]", "(b]"), "mismatched bracket pair ( ]")
mc(wf("[b}", "[b}"), "[b} inside a box: its } closes the box early, a stray } follows")
mc(wf("{b)", "{b)"), "{b) inside a box: the unbalanced { spoils the box")
mc(wf("[B]", "[B]"), "square brackets")
mc(wf("b )", "b )"), "bare letter, space, closing parenthesis")
mc(wf("(B) -", "(B) -"), "bracketed letter, space, trailing dash")
mc(wf("(B)-", "(B)-"), "bracketed letter, trailing dash")
mc(wf("(B):", "(B):"), "bracketed letter, trailing colon")
mc(wf("B)", "B)"), "letter and closing parenthesis")
mc(wf("B:", "B:"), "letter and colon")
mc(wf("B;", "B;"), "letter and semicolon")
mc(wf("B/", "B/"), "letter and slash")
mc(wf("B -", "B -"), "letter, space, dash")
mc(wf("B.", "B."), "letter and full stop: not a recognised choice form")
mc(wf("B. blue", "B. blue"), "letter followed by the option text")
mc(wf("(B).", "(B)."), "bracketed letter and full stop")
mc(wf("b", "b"), "lower-case letter")
mc(wf("\uff22", "\uff22"), "full-width letter (NFKC)")
mc(wf("\uff08\uff22\uff09", "\uff08\uff22\uff09"), "full-width parentheses and letter (NFKC)")
mc(wf(NBSP + "B" + NBSP, NBSP + "B" + NBSP), "NBSP around the letter inside the box")
mc(wf("\\text{B}", "\\text{B}"), "letter wrapped in \\text{} (one nesting level)")
mc(wf("\\text{\\textbf{B}}", "\\text{\\textbf{B}}"), "two nesting levels: no box matches")
mc(wf("blue", "blue"), "option text instead of the letter")
mc(wf("B blue", "B blue"), "letter and option text without a delimiter")
mc(wf("", ""), "empty boxes")
mc("\\boxed{}<think>" + THINK + "</think>\\boxed{B}", "empty first box, right final box")
mc(wf("B", "B"), "truth written (B)", solution="(B)")
mc(wf("(B)", "(B)"), "truth lower-case letter", solution="b")
mc(wf("B", "B"), "truth B. (full stop) against a bare letter", solution="B.")
mc(wf("E", "E"), "fifth option", solution="E", options=MC5)
mc(wf("F", "F"), "a letter outside the options")
mc("\\boxed{B}<think></think>\\boxed{B}", "empty think passes the format")
mc("\\boxed{B}<think> \n\t </think>\\boxed{B}", "whitespace-only think passes the format")
mc(" \n\\boxed{B} <think>" + THINK + "</think> \\boxed{B}\n ", "ASCII whitespace around and between the parts")
mc("\\boxed{B}\n<think>\n" + THINK + "\n</think>\n\\boxed{B}\n", "newlines between the parts")
mc("Answer: \\boxed{B}<think>" + THINK + "</think>\\boxed{B}", "text before the first box")
mc(wf("B", "B") + ".", "full stop after the final box")
mc(wf("B", "B") + " Done.", "text after the final box")
mc("\\boxed{B}<think>" + THINK + "</think>So the answer is \\boxed{B}", "text between </think> and the final box")
for _name, _ws in (("NBSP", NBSP), ("U+0085", NEL), ("U+3000", IDEO), ("U+2007", FIGSP), ("U+202F", NNBSP),
                   ("U+2028", LSEP), ("U+200B (not whitespace)", ZWSP)):
    mc(_ws + wf("B", "B") + _ws, _name + " before and after the completion")
    mc("\\boxed{B}" + _ws + "<think>" + THINK + "</think>" + _ws + "\\boxed{B}", _name + " between the parts")
mc("\t\\boxed{B}\t<think>" + THINK + "</think>\t\\boxed{B}\t", "tabs around and between the parts")
mc(wf(FALLBACK, "B"), "fallback phrase, then the right answer: bonus")
mc(wf(FALLBACK, "C"), "fallback phrase, then a wrong answer: no bonus")
mc(wf("let's analyze the problem.", "B"), "lower-case fallback phrase: no bonus")
mc(wf("Let\u2019s analyze the problem.", "B"), "fallback phrase with a curly apostrophe: no bonus")
mc(wf("  " + FALLBACK, "B"), "fallback phrase after spaces inside the box")
mc(wf("Let's analyzeit", "B"), "the prefix test only needs the exact prefix")
mc(wf("Let us analyze the problem.", "B"), "a paraphrase of the fallback phrase: no bonus")
mc(wf("I think B. Let's analyze", "B"), "fallback phrase not at the start: no bonus")
mc(wf(FALLBACK, "(b)"), "fallback phrase, then a bracketed lower-case right answer")
mc("\\boxed{" + FALLBACK + "}<think>cut off", "fallback phrase, cut off inside the think")
mc("\\boxed{" + FALLBACK + "}<think></think>\\boxed{B}", "fallback phrase, empty think, right answer")

# ---------------------------------------------------------------- exact_match
def em(solution, first, final, note):
    va("exact_match", solution, wf(first, final, "The speaker nods while answering."), note)


em("yes", "yes", "Yes", "yes, capitalised")
em("yes", "YES.", "YES.", "yes with a full stop")
em("yes", "y", "y", "y is a letter, so it stays y")
em("yes", "true", "true", "true counts as yes")
em("yes", "T", "T", "T is a letter, so it stays t")
em("yes", "ok", "ok", "ok counts as yes")
em("yes", "Okay!", "Okay!", "okay with punctuation")
em("yes", "'yes'", "'yes'", "quoted yes")
em("yes", "\"Yes\"", "\"Yes\"", "double-quoted yes")
em("yes", "yes sir", "yes sir", "extra words")
em("yes", "Yes, it is.", "Yes, it is.", "a yes sentence")
em("yes", "no", "no", "wrong polarity")
em("yes", "no", "yes", "first wrong, final right")
em("no", "false", "false", "false counts as no")
em("no", "n", "n", "n is a letter, so it stays n")
em("no", "F", "F", "F is a letter, so it stays f")
em("no", "No!", "No!", "no with an exclamation mark")
em("no", "nope", "nope", "nope is not in the table")
em("no", "NO", "NO", "upper-case no")
em("Two leaves", "two   leaves", "two   leaves", "collapsed spaces")
em("Two leaves", "Two Leaves.", "Two Leaves.", "punctuation is kept for free text")
em("Two leaves", "2 leaves", "2 leaves", "digit instead of the word")
em("Two leaves", "two" + NBSP + "leaves", "two" + NBSP + "leaves", "NBSP between the words")
em("cartoon", "Cartoon", "Cartoon", "capitalised word")
em("cartoon", "\uff23\uff21\uff32\uff34\uff2f\uff2f\uff2e", "\uff23\uff21\uff32\uff34\uff2f\uff2f\uff2e", "full-width word (NFKC)")
em("cartoon", "cartoonish", "cartoonish", "a longer word")
em("cartoon", "\\text{cartoon}", "\\text{cartoon}", "word wrapped in \\text{}")
em("A", "(a)", "(a)", "letter truth typed exact_match")
em("A", "a.", "a.", "letter with a full stop")
em("42", "42.0", "42.0", "numbers typed exact_match compare as text")
em("Linear", "linear", "linear", "case only")
em("New York", "new  york", "new  york", "case and spaces")
em("yes ", "yes", "yes", "truth with a trailing space")
em("yes", FALLBACK, "Yes", "fallback phrase, then yes")
em("yes", NBSP + "yes" + NBSP, IDEO + "Yes" + IDEO, "Unicode spaces inside the boxes")

# ---------------------------------------------------------------- numerical (-> math)
def num(solution, first, final, note, doc=False):
    va("numerical", solution, wf(first, final, "There are several objects; I count them twice."), note, doc=doc)


num("42", "42", "42", "integer, right")
num("42", "42.0", "42.0", "integer truth, decimal answer")
num("42", "42.00", "42.00", "integer truth, two decimals")
num("42", "43", "43", "off by one")
num("42", "forty-two", "forty-two", "number written in words")
num("42", "+42", "+42", "explicit plus sign", doc=True)
num("42", "42", "41", "first right, final wrong")
num("3", "3.0", "3.0", "3 vs 3.0")
num("3", "3.00", "3.00", "3 vs 3.00")
num("3", "3.0001", "3.0001", "slightly off")
num("3.5", "3.50", "3.50", "trailing zero")
num("3.5", "7/2", "7/2", "fraction with a slash")
num("3.5", "\\frac{7}{2}", "\\frac{7}{2}", "LaTeX fraction")
num("3.5", "3.4", "3.4", "wrong decimal")
num("1000", "1,000", "1,000", "thousands separator")
num("1000", "1e3", "1e3", "scientific notation in the answer", doc=True)
num("1000", "1 000", "1 000", "space as thousands separator")
num("1000", "10^3", "10^3", "power")
num("0.5", "50\\%", "50\\%", "LaTeX percent against a decimal", doc=True)
num("0.5", "50%", "50%", "plain percent against a decimal")
num("0.5", "\\frac{1}{2}", "\\frac{1}{2}", "LaTeX fraction against a decimal")
num("0.5", "1/2", "1/2", "slash fraction against a decimal")
num("0.5", ".5", ".5", "no leading zero")
num("-3", "-3", "-3", "negative, right")
num("-3", "- 3", "- 3", "space after the minus sign", doc=True)
num("-3", "3", "3", "sign dropped")
num("-3", "\u22123", "\u22123", "Unicode minus sign", doc=True)
num("10", "10 apples", "10 apples", "number followed by a unit word", doc=True)
num("10", "10.0", "10.0", "decimal form")
num("10", "ten", "ten", "word form")
num("1.5", "1,5", "1,5", "decimal comma", doc=True)
num("2", "2\\pi", "2\\pi", "a number times pi", doc=True)
num("2", "x=2", "x=2", "an equation")
num("2", "2 + 0", "2 + 0", "an expression")
num("0.333", "1/3", "1/3", "rounded truth against an exact fraction")
num("1.2345679", "1.2345678", "1.2345678", "close decimals")
num("12", "12.", "12.", "trailing dot")
num("12", "012", "012", "leading zero")
num("100", "100\\%", "100\\%", "percent sign on the answer")
num("3.14159", "\\pi", "\\pi", "pi against its decimal", doc=True)
num("7", "", "", "empty boxes")
num("7", FALLBACK, "7", "fallback phrase, then the right number")

# ---------------------------------------------------------------- math
def mth(solution, first, final, note, doc=False):
    va("math", solution, wf(first, final, "Simplify the expression step by step."), note, doc=doc)


mth("\\frac{1}{2}", "0.5", "0.5", "LaTeX fraction truth, decimal answer")
mth("\\frac{1}{2}", "1/2", "1/2", "slash fraction")
mth("\\frac{1}{2}", "\\frac{2}{4}", "\\frac{2}{4}", "unreduced fraction")
mth("\\frac{1}{2}", "\\dfrac{1}{2}", "\\dfrac{1}{2}", "dfrac", doc=True)
mth("\\frac{1}{2}", "\\tfrac{1}{2}", "\\tfrac{1}{2}", "tfrac", doc=True)
mth("\\frac{1}{2}", "$\\frac{1}{2}$", "$\\frac{1}{2}$", "fraction inside dollars")
mth("\\frac{1}{2}", "0.4", "0.4", "wrong decimal")
mth("\\frac{1}{2}", "x = \\frac{1}{2}", "x = \\frac{1}{2}", "equation with a fraction")
mth("\\sqrt{2}", "1.41421356", "1.41421356", "square root against its decimal", doc=True)
mth("\\sqrt{2}", "\\sqrt{2}", "\\sqrt{2}", "the same bare square root", doc=True)
mth("\\sqrt{2}", "$\\sqrt{2}$", "$\\sqrt{2}$", "square root inside dollars", doc=True)
mth("\\sqrt{2}", "\\sqrt{3}", "\\sqrt{3}", "a different square root")
mth("$\\sqrt{2}$", "$\\sqrt{2}$", "$\\sqrt{2}$", "dollar-wrapped truth and answer")
mth("$\\sqrt{2}$", "1.41421356", "1.41421356", "dollar-wrapped root against its decimal")
mth("\\pi", "3.14159", "3.14159", "pi against its decimal", doc=True)
mth("\\pi", "\\pi", "\\pi", "the same bare pi", doc=True)
mth("x^2", "x*x", "x*x", "power against a product", doc=True)
mth("x^2", "x^2", "x^2", "the same bare power", doc=True)
mth("$x^2$", "$x\\cdot x$", "$x\\cdot x$", "dollar-wrapped power against a product")
mth("A", "A", "A", "a letter typed math", doc=True)
mth("A", "B", "B", "different letters typed math")
mth("1e3", "1000", "1000", "scientific-notation truth", doc=True)
mth("\\dfrac{3}{4}", "0.75", "0.75", "dfrac truth against a decimal", doc=True)
mth("\\{1,2\\}", "\\{2,1\\}", "\\{2,1\\}", "sets in another order", doc=True)
mth("(1,2)", "(1,2)", "(1,2)", "the same tuple", doc=True)
mth("(1,2)", "(2,1)", "(2,1)", "tuple in another order")
mth("\\frac{\\sqrt{2}}{2}", "\\frac{\\sqrt{2}}{2}", "\\frac{\\sqrt{2}}{2}", "two nesting levels: no box matches")
mth("x = 5", "5", "5", "equation truth, bare value")
mth("$x=5$", "5", "5", "dollar-wrapped equation truth")
mth("50\\%", "0.5", "0.5", "percent truth, decimal answer", doc=True)
mth("10\\%", "0.1", "0.1", "ten percent", doc=True)
mth("\\infty", "\\infty", "\\infty", "infinity", doc=True)
mth("2^{10}", "1024", "1024", "power with braces", doc=True)
mth("\\frac{1}{3}", "0.333", "0.333", "rounded decimal against a fraction")
mth("2\\sqrt{3}", "\\sqrt{12}", "\\sqrt{12}", "equal radicals written differently", doc=True)
mth("3", "3", "3", "plain integer typed math")
mth("\\frac{1}{2}", FALLBACK, "\\frac{1}{2}", "fallback phrase, then the right fraction")

# ---------------------------------------------------------------- temporal grounding (-> iou)
def tg(answer, note, solution=(2, 6), first=None):
    va("temporal_grounding", list(solution) if isinstance(solution, tuple) else solution,
       wf(answer if first is None else first, answer, "The person picks up the cup early in the clip."), note)


tg("[2, 6]", "exact interval")
tg("[2.0, 6.0]", "exact interval with decimals")
tg("[3, 6]", "partial overlap")
tg("[10, 12]", "disjoint interval")
tg("3to5", "'to' glued to the numbers: no word boundary, no interval")
tg("3 to 5", "'to' separator")
tg("3 TO 5", "upper-case separator")
tg("5 and10", "'and' glued to the end number: no interval")
tg("5 and 10", "'and' separator")
tg("[4, 8]", "bracketed, partial overlap")
tg("(4 - 8)", "parenthesised with a dash")
tg("4, 8, 12", "three numbers: the first pair")
tg("1,000-2,000", "thousands separators are read as a comma separator")
tg("1 - 2.", "a trailing dot spoils the interval")
tg("[1, 2].", "bracketed interval followed by a dot")
tg("\u0663-\u0665", "Arabic-Indic digits")
tg("[6, 2]", "reversed interval")
tg("[4, 4]", "zero-length prediction")
tg("from 2 to 6 seconds", "interval inside a sentence")
tg("2s - 6s", "units glued to the numbers")
tg("00:02-00:06", "clock notation is not understood")
tg("2\u20136", "en dash")
tg("2\u20146", "em dash")
tg("2 \u2212 6", "minus sign is not a separator")
tg("[2;6]", "semicolon is not a separator")
tg("2" + NBSP + "-" + NBSP + "6", "NBSP around the dash")
tg("[ 2.5 , 5.5 ]", "spaces inside the brackets")
tg("1.2.3-4", "dotted number before the interval")
tg("", "empty answer")
tg("I am not sure", "no numbers")
tg("between 2 and 6 seconds, then 8 to 9", "two intervals in the text: the first wins")
tg("\uff12-\uff16", "full-width digits")
tg("[2, 6]", "several truth intervals, the second matches", solution=[[0, 1], [2, 6]])
tg("[0.5, 4]", "several truth intervals, best of two", solution=[[0, 1], [2, 6]])
tg("[3, 7]", "several truth intervals, the second one overlaps", solution=[[10, 20], [2, 6]])
tg("[2, 6]", "reversed truth interval", solution=(6, 2))
tg("[3, 5]", "zero-length truth interval", solution=(4, 4))
tg("[12.5, 20.3]", "decimal truth interval", solution=(12.5, 20.3))
tg("[0, 50]", "half of a long truth interval", solution=(0, 100))
tg("[2, 6]", "first answer wrong, final right", first="[20, 30]")
va("temporal_grounding", [2, 6], "\\boxed{[2, 6]}", "a single interval box and nothing else")
va("temporal_grounding", [2, 6], "\\boxed{[2, 6]}<think>the cup", "cut off inside the think")
tg("[2, 5]", "fallback phrase, then IoU 0.75: bonus", first=FALLBACK)
tg("[3, 5]", "fallback phrase, then IoU 0.5: no bonus", first=FALLBACK)

# ---------------------------------------------------------------- grounded QA (-> gqa)
GQ = {"answer": "A", "segment": [2, 6]}


def gq(answer, note, solution=GQ, first=None):
    va("grounded_qa", solution, wf(answer if first is None else first, answer,
                                   "He opens the door between two and six seconds."), note, options=GQA_OPTS)


gq("A <> [2, 6]", "right answer, exact segment")
gq("A<>[3,6]", "right answer, partial segment, no spaces")
gq("B <> [2, 6]", "wrong answer, exact segment")
gq("A <> [10, 12]", "right answer, disjoint segment")
gq("B <> [10, 12]", "wrong answer, disjoint segment")
gq("[2, 6]", "no <>: the whole text is the answer and the segment")
gq("A [2, 6]", "no <>: answer and segment in one text")
gq("A", "no <>: only the answer")
gq("A <> [1,2] <> [2, 6]", "several <>: the segment follows the last one")
gq("A <> B <> [2, 6]", "several <>: the answer precedes the first one")
gq("(A) <> [2, 6]", "bracketed letter")
gq("a <> (2, 6)", "lower-case letter, parenthesised segment")
gq("A <>", "empty segment")
gq("<> [2, 6]", "empty answer")
gq("A <> 2 to 6", "segment written with 'to'")
gq("A <> [2.0, 6.0]", "segment with decimals")
gq("A <> [6, 2]", "reversed segment")
gq("A <> [4, 4]", "zero-length segment")
gq("A<>[2,6]<>", "trailing <>: the segment text is empty")
gq("A < > [2, 6]", "a spaced '< >' is not the separator")
gq("A <> [2, 5]", "fallback phrase, then a sum above 0.7: bonus", first=FALLBACK)
gq("B <> [8, 9]", "fallback phrase, then zero: no bonus", first=FALLBACK)
gq("B <> [2, 6]", "fallback phrase, then IoU 1 only: bonus", first=FALLBACK)
gq("B <> [3, 5]", "fallback phrase, then IoU 0.5 only: no bonus", first=FALLBACK)
gq("A <> [10, 12]", "fallback phrase, then the answer only: bonus", first=FALLBACK)
gq("Yes <> [10.5, 20.0]", "yes answer with a decimal segment", solution={"answer": "yes", "segment": [10.5, 20]})
gq("yes. <> [10.5, 20]", "yes with a full stop", solution={"answer": "yes", "segment": [10.5, 20]})
gq("A <> [2, 6]", "first answer wrong, final right", first="C <> [0, 1]")
va("grounded_qa", GQ, "\\boxed{A <> [2, 6]}", "a single grounded box and nothing else", GQA_OPTS)
va("grounded_qa", GQ, "\\boxed{A <> [2, 6]}<think>he opens", "cut off inside the think", GQA_OPTS)


# ================================================================= Video-R2
VIDEO_R2 = []


def vr(problem_type, solution, completion, note, options=None):
    VIDEO_R2.append(dict(problem_type=problem_type, solution=solution, options=options or [],
                         completion=completion, note=note))


# ---------------------------------------------------------------- format (multiple choice truth B)
def fmt(completion, note):
    vr("multiple_choice", "B", completion, note, MC4)


fmt(rt("B"), "well-formed")
fmt("<think>x</think>\n<answer>B</answer>", "newline between the blocks")
fmt("<think>x</think> \n \t<answer>B</answer>", "mixed whitespace between the blocks")
fmt(" " + rt("B"), "leading space")
fmt("\n" + rt("B"), "leading newline")
fmt(rt("B") + "\n", "trailing newline")
fmt(rt("B") + "  ", "trailing spaces")
fmt("<think>x</think>So the answer is<answer>B</answer>", "text between the blocks")
fmt(rt("B") + " Done.", "text after the answer block")
fmt("Sure. " + rt("B"), "text before the think block")
fmt("<think>a<think>b</think><answer>B</answer>", "nested <think> inside the think block")
fmt("<think>a</think>y</think><answer>B</answer>", "stray </think> inside the think block")
fmt(rt("B") + "<answer>C</answer>", "two answer blocks: accuracy reads the first")
fmt(rt("C") + "<answer>B</answer>", "two answer blocks, the first wrong")
fmt("<think>x</think><answer><answer>B</answer></answer>", "nested answer block")
fmt("<think></think><answer></answer>", "empty blocks")
fmt("<think></think><answer>B</answer>", "empty think block")
fmt("<think>x</think>B", "missing answer block")
fmt("<answer>B</answer>", "missing think block")
fmt("<think>x</think><answer>B", "unclosed answer block")
fmt("<answer>B</answer><think>x</think>", "blocks in the wrong order")
fmt("<Think>x</Think><Answer>B</Answer>", "capitalised tags")
fmt("<think>x</think><answer>  B \n</answer>", "whitespace inside the answer block")
fmt("<think>x</think>" + NBSP + "<answer>B</answer>", "NBSP between the blocks")
fmt("<think>x</think>" + IDEO + "<answer>B</answer>", "U+3000 between the blocks")
fmt("<think>x</think>" + NEL + "<answer>B</answer>", "U+0085 between the blocks")
fmt("<think>x</think>" + ZWSP + "<answer>B</answer>", "U+200B (not whitespace) between the blocks")
fmt(NBSP + rt("B"), "leading NBSP")
fmt("<think>line one\nline two</think><answer>B</answer>", "multi-line think")
fmt("<think>x</think><answer>B</answer>\n<answer>C</answer>", "second answer block after a newline")


# ---------------------------------------------------------------- multiple choice
def mcq(answer, note, solution="B", options=MC4):
    vr("multiple_choice", solution, rt(answer), note, options)


mcq("B", "bare letter")
mcq("b", "lower-case letter")
mcq("B.", "letter and full stop")
mcq("(B)", "bracketed letter: the first character is not a letter")
mcq("B) blue", "letter, parenthesis, option text")
mcq("Blue", "option text starting with the letter")
mcq("blue", "lower-case option text starting with the letter")
mcq("C", "wrong letter")
mcq("E", "letter outside the four options")
mcq("F", "letter past E")
mcq("", "empty answer")
mcq("Banana", "a word starting with the letter")
mcq("The answer is B", "a sentence")
mcq(" B", "leading space inside the block")
mcq("\uff22", "full-width letter")
mcq("B", "lower-case truth", solution="b")
mcq("e", "fifth option, lower-case answer", solution="E", options=MC5)
mcq("B", "truth with option text", solution="B. blue")
mcq("A", "truth A, answer A", solution="A")
mcq("a) red", "truth A, lower-case answer with text", solution="A")
mcq("D", "truth D, answer D", solution="D")
mcq("(D)", "truth D, bracketed answer", solution="D")

# ---------------------------------------------------------------- numerical
def nm(answer, note, solution):
    vr("numerical", solution, rt(answer), note)


nm("42", "integer, right", "42")
nm("42.0", "integer truth, decimal answer: decimal-point rule", "42")
nm("41", "off by one", "42")
nm("+42", "explicit plus sign", "42")
nm("-42", "wrong sign", "42")
nm("forty-two", "number written in words", "42")
nm("4 2", "digits split by a space", "42")
nm("42 apples", "number and unit", "42")
nm("1e3", "scientific notation", "1000")
nm("1,000", "thousands separator against none", "1000")
nm("1000.0", "decimal answer for an integer truth", "1000")
nm("1_000", "underscore digit grouping", "1000")
nm("1234", "no separator against a separator", "1,234")
nm("1,234", "the same separator", "1,234")
nm("1.234", "dot against a thousands comma", "1,234")
nm("1,234.0", "separator and decimal", "1,234")
nm("1,5", "decimal comma: all commas are removed", "1.5")
nm("1,5", "decimal comma against an integer", "15")
nm("1.50", "trailing zero", "1.5")
nm("1.499", "rounds to the truth", "1.5")
nm("1.494", "rounds away from the truth", "1.5")
nm("3.1449", "rounds to 3.14", "3.14")
nm("3.145", "binary rounding of 3.145", "3.14")
nm("3.135", "binary rounding of 3.135", "3.14")
nm("3.14159", "more digits than the truth", "3.14")
nm("2.675", "2.675 rounds to 2.67 in binary", "2.68")
nm("-7", "negative, right", "-7")
nm("7", "sign dropped", "-7")
nm("- 7", "space after the minus sign", "-7")
nm("\u22127", "Unicode minus sign", "-7")
nm("0", "zero", "0")
nm("0.0", "decimal zero against an integer zero", "0")
nm("-0", "negative zero", "0")
nm("12 apples", "number followed by a word", "12")
nm("\u0661\u0662", "Arabic-Indic digits", "12")
nm("5", "truth with a plus sign", "+5")
nm("7", "truth with a leading zero", "007")
nm("3", "integer answer for a decimal truth", "3.0")
nm("2.50", "trailing zero", "2.5")
nm("5/2", "fraction", "2.5")
nm("1e2", "scientific notation", "100")
nm("inf", "infinity", "100")
nm("nan", "not a number", "100")
nm("", "empty answer", "100")

# ---------------------------------------------------------------- regression
def rg(answer, note, solution):
    vr("regression", solution, rt(answer), note)


rg("0.0000", "truth 0, prediction 0", "0.0000")
rg("0", "truth 0, integer prediction 0", "0.0000")
rg("0.0001", "truth 0, small prediction", "0.0000")
rg("3.14159", "exact non-zero", "3.14159")
rg("3.1416", "close", "3.14159")
rg("2.827431", "10% low", "3.14159")
rg("3.455749", "10% high", "3.14159")
rg("6.28318", "double", "3.14159")
rg("0", "zero prediction", "3.14159")
rg("-3.14159", "sign flipped", "3.14159")
rg("-2.5", "negative truth, exact", "-2.5000")
rg("-2.25", "negative truth, 10% off", "-2.5000")
rg("2.5", "negative truth, sign flipped", "-2.5000")
rg("12,3456", "decimal comma: commas are removed", "12.3456")
rg("abc", "not a number", "12.3456")
rg("1,234.5678", "thousands separator in the prediction", "1234.5678")
rg("0.1111", "relative error about 10%", "0.1234")
rg("", "empty answer", "0.1234")
rg("1e-4", "scientific notation", "0.0001")

# ---------------------------------------------------------------- OCR
def ocr(answer, note, solution="HELLO WORLD"):
    vr("ocr", solution, rt(answer), note)


ocr("HELLO WORLD", "exact")
ocr("hello world", "case differs: both words wrong")
ocr("HELLO", "one word missing")
ocr("HELLO  WORLD", "double space")
ocr("HELLO" + IDEO + "WORLD", "U+3000 between the words")
ocr("HELLO" + NBSP + "WORLD", "NBSP between the words")
ocr("HELLO\tWORLD\n", "tab and newline")
ocr("HELLO WORLD!", "punctuation attached to a word")
ocr("WORLD HELLO", "words swapped")
ocr("HELLO BIG WORLD", "one word inserted")
ocr("", "empty answer")
ocr("HELLO WORLD HELLO WORLD HELLO WORLD", "many insertions: clipped at 0")
ocr("x" + IDEO + "y", "U+3000 between single letters", solution="x y")
ocr("x y", "truth with U+3000", solution="x" + IDEO + "y")
ocr("NO EXIT", "truth with U+3000 between words", solution="NO" + IDEO + "EXIT")
ocr("12:30", "time string", solution="12:30")
ocr("12.30", "time string with a dot", solution="12:30")
ocr("stop", "lower case", solution="STOP")
ocr("STOP.", "full stop", solution="STOP")
ocr("Route 66", "word and number", solution="Route 66")
ocr("X RAY ROOM 3", "hyphen replaced by a space", solution="X-RAY ROOM 3")
ocr("GO SLOW KIDS AT WORK", "five words, one wrong", solution="GO SLOW KIDS AT PLAY")

# ---------------------------------------------------------------- free form (ROUGE)
def ff(answer, note, solution="The man is walking away from the car slowly."):
    vr("free_form", solution, rt(answer), note)


ff("The man is walking away from the car slowly.", "exact sentence")
ff("the man walks away from the car", "stemming: walking/walks")
ff("The man walked away from the cars slowly", "stemming: walked, cars")
ff("A man is running toward the car.", "different action")
ff("THE MAN IS WALKING AWAY FROM THE CAR SLOWLY", "upper case")
ff("", "empty answer")
ff("...", "punctuation only")
ff("slowly the car from away walking is man the", "reversed word order")
ff("The man is walking away from the caf\u00e9 slowly.", "accented letter is dropped by the tokenizer")
ff("running dogs jumped over fences", "stems: running/run, jumped/jump",
   solution="Two dogs run and jump over the fences.")
ff("Two dogs run and jump over the fences.", "exact, other sentence", solution="Two dogs run and jump over the fences.")
ff("people jumped into the pool swimming", "stems and order",
   solution="People were jumping into the swimming pool.")
ff("Players celebrated happily", "stems: celebrated, happily",
   solution="Players celebrate happily after the goal was scored.")
ff("Goal scored; players celebrating.", "short paraphrase",
   solution="Players celebrate happily after the goal was scored.")
ff("It rains.", "unrelated sentence")


# ================================================================= unit cases
MC_NORMALIZE = [
    "A", "a", "(A)", "( a )", "(a]", "[c}", "{B}", "{b)", "a )", "a)", "A.", "A. text", "(A).", "(A)-", "(A) -",
    "a -", "A:", "A;", "A/", "b/", "b//", "ab", "\uff21", "(\uff21)", "\uff08\uff21\uff09", NBSP + "B" + NBSP,
    NEL + "b", IDEO + "C" + IDEO, FIGSP + "D", NNBSP + "E", LSEP + "f" + LSEP, ZWSP + "A", "y", "Y", "n",
    "yes", "Yes.", "'yes'", "YES!!!", "OK!", "okay", "Ok", "OKAY?", "true", "True.", "t", "false", "fALSE",
    "F", "no", "No.", "nope", "yes sir", "yes/no", "-yes-", "...no...", "y e s", "Two   Leaves",
    "  Cartoon ", "", "   ", "\u216b", "\ufb01ne", "\u00e9", "\u00c9", "1", "(1)", "A)B", "[a]-", "(a)--",
    "((a))", "a-b", "\tA\n", "\\text{A}", "\u0130", "\u00df", "\u03a3", "A" + NBSP + ".", "two" + NBSP + "leaves",
    "\u00bdyes", "( A ) :", "[ b ] /", "b ;", "z", "Z)", "A\u0301",
]

INTERVAL = [
    "3to5", "3 to 5", "3 TO 5", "3 to5", "3to 5", "5 and10", "5 and 10", "5AND10", "[4, 8]", "(4 - 8)",
    "4, 8, 12", "1,000-2,000", "1 - 2.", "[1, 2].", "\u0663-\u0665", "[6, 2]", "[4, 4]", "from 2 to 6 seconds",
    "2s - 6s", "00:02-00:06", "2\u20136", "2\u20146", "2 \u2212 6", "[2;6]", "2" + NBSP + "-" + NBSP + "6",
    "[ 2.5 , 5.5 ]", "1.2.3-4", "", "no interval", "12.5 \u2013 20", "x12-15", "10 to", "[0,0]", "start 3 end 9",
    "(2,1)", "[1.5, 3]", "5 -10", "3.-5", "3-.5", ".5-3", "3-5.5.", "-3-5", "[3-5)", "(3, 5]",
    "2 to 6 and 8 to 9", "between 10.25 and 12.75 s", "[10, 20] or [30, 40]", "\uff11-\uff12",
    "\u0968-\u096a", "3,5", "1e3-2e3", "4 - 8 seconds.", "4-8.", "[4-8].", "[4\n,\n8]", "4" + IDEO + "to" + IDEO + "8",
    "07-09", "1.5.-3", "[ 1 and 2 ]", "(1 to 2)", "4\u00b2-9",
]

TIMESTAMPS = [
    {"00:05": "Man enters.", "00:02": "Door opens."},
    {"00:10-00:20": "Range A.", "00:12": "Point B.", "00:00-00:30": "Long range."},
    {"00:00-00:40": "Wide range.", "00:10-00:12": "Narrow range."},
    {"00:30": "Later point.", "00:10-00:50": "Range with midpoint thirty."},
    {"00:02.5": "Half second rounds to even."},
    {"00:03.5": "Three and a half rounds up."},
    {"3.5": "Plain seconds with a fraction."},
    {"2.5": "Plain seconds, half to even."},
    {"12": "Plain seconds."},
    {"00:61": "Seconds past sixty."},
    {"00:08+": "Trailing plus.", "00:09.": "Trailing dot.", "00:11,": "Trailing comma."},
    {"01:02:03": "Hours, minutes, seconds."},
    {"1:02": "Single-digit minutes."},
    {"00:05-end": "Open range to the end.", "00:06": "Point after."},
    {"00:05-": "Dangling dash.", "00:07-EOF": "Open range to EOF."},
    {"00:10-00:05": "Reversed range."},
    {"00:05": "First sentence.", "0:05": "Second sentence, same time."},
    {"00:07": "", "00:08": "   ", "00:09": "Kept."},
    {"01:00 to 01:05": "Range written with to."},
    {"00:20 TO 00:30": "Upper-case to."},
    {"00:40\u201300:45": "En dash range.", "00:46\u201400:48": "Em dash range."},
    {"00:50 - 00:55 - 01:00": "Three parts.", "abc": "Not a time.", "00:51": "Kept point."},
    {"1:00:00-1:00:10": "Range past an hour."},
    {"59:59.6": "Rounds up to an hour."},
    {"-5": "Leading dash.", "00:02:03:04": "Four fields.", "mm:ss": "Letters."},
    {"00:05 - 00:05": "Zero-length range."},
    {"10-20": "Plain-second range."},
    {"1.5-2.5": "Both ends round to two."},
    {"00:00:05.5": "Fractional seconds with hours."},
    {"5 to 10 s": "Unit after the end."},
    {"00:1e1": "Exponent seconds.", "1_0": "Underscore digits."},
    {"\u0660\u0660:\u0660\u0665": "Arabic-Indic digits."},
    {" 00:05 ": "  Padded key and sentence.  "},
    {"00:01-00:02": "Midpoint one and a half.", "00:01": "Point one.", "00:02": "Point two."},
    {},
    {"abc": "Nothing valid."},
    {"00:05": "Point.", "00:03-00:07": "Range, same midpoint.", "00:04-00:06": "Narrower, same midpoint."},
    {"00:09": "Last.", "00:01": "First.", "00:05": "Middle.", "00:03": "Second."},
    {"00:05": "Duplicate first.", "00:10": "Other.", "5": "Duplicate last, plain seconds."},
    {"00:10 to 00:20": "Spaced range.", "00:10-00:20": "Same range, last wins."},
]

VERDICT = [
    "TRUE", "FALSE", "true", "false.", "True", "**TRUE**", "**FALSE**", "The answer is TRUE", "The answer is FALSE",
    "TRUE or FALSE", "Consistent", "Inconsistent", "\n\nTRUE", "  \n  FALSE - no",
    "FALSE\nbecause the answer contradicts the reasoning.", "TRUE\nThe reasoning supports B.", "", "   \n  ",
    "TRUE.", "T", "Yes", "UNTRUE", "FALSEHOOD", "true/false", "Not true", "It is not FALSE", "\tTRUE",
    "TRUE\r\nok", "verdict: true", "\uff34\uff32\uff35\uff25", "tru\u0435", LSEP + "TRUE", "\x0cTRUE",
    NEL + "FALSE", "Answer:\nTRUE", "TRUE FALSE", "FALSE TRUE", "- TRUE", "\u00dfTRUE", "true" + NBSP,
    "\n\n\nfalse\nTRUE",
]
