package ai.videorl.benchmarks;

import ai.videorl.common.data.Interval;
import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import ai.videorl.common.data.Solution;
import ai.videorl.common.recipe.VideoAutoR1;
import ai.videorl.common.recipe.VideoP2R;
import ai.videorl.common.recipe.VideoR2;
import ai.videorl.common.text.Span;
import ai.videorl.common.text.WordPunctTokenizer;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic (seeded) completions in each recipe's template for the benchmarks: pools of short
 * rollouts over a mix of problem types, about a fifth of them malformed, and 1 MB adversarial
 * completions. {@link #main} prints the pools' statistics (token counts, malformed share, mix).
 */
final class Completions {

    /** Rollouts per sample, as in a GRPO group. */
    static final int GROUP = 8;
    static final double MALFORMED_SHARE = 0.2;

    /** The shapes of {@link #longCompletion}. */
    static final String WELL_FORMED = "well-formed";
    static final String OPEN_BOXES = "open-boxes";
    static final String OPEN_TAGS = "open-tags";
    static final String TAG_SOUP = "tag-soup";
    static final String HUGE_ANSWER = "huge-answer";

    private static final String[] SUBJECTS = {"the man", "a woman", "the dog", "the child", "the chef", "a cyclist"};
    private static final String[] VERBS = {"picks up", "puts down", "opens", "points at", "walks past", "pours water into"};
    private static final String[] OBJECTS = {"the red cup", "a blue box", "the door", "the laptop", "a green bowl", "the glass"};
    private static final String[] OPTIONS = {"red", "blue", "green", "yellow", "black", "white"};

    private Completions() {
    }

    /** Short completions and their samples, index-aligned, {@link #GROUP} rollouts per sample. */
    record Pool(Sample[] samples, String[] completions, int malformed) {
    }

    /**
     * {@code size} short completions (about 15–60 tokens) in {@code recipe}'s template. Problem
     * types: multiple_choice, numerical, temporal_grounding, exact_match (yes/no) and free_form
     * (videoauto-r1 scores numerical answers with math equivalence).
     */
    static Pool shortPool(String recipe, int size, long seed) {
        Random random = new Random(seed);
        List<ProblemType> types = List.of(
                ProblemType.MULTIPLE_CHOICE, ProblemType.MULTIPLE_CHOICE, ProblemType.MULTIPLE_CHOICE,
                ProblemType.NUMERICAL, ProblemType.TEMPORAL_GROUNDING, ProblemType.TEMPORAL_GROUNDING,
                ProblemType.EXACT_MATCH, ProblemType.EXACT_MATCH, ProblemType.FREE_FORM, ProblemType.FREE_FORM);
        Sample[] samples = new Sample[size];
        String[] completions = new String[size];
        int malformed = 0;
        Sample sample = null;
        for (int i = 0; i < size; i++) {
            if (i % GROUP == 0) {
                sample = sample(types.get(random.nextInt(types.size())), i / GROUP, random);
            }
            boolean bad = random.nextDouble() < MALFORMED_SHARE;
            malformed += bad ? 1 : 0;
            samples[i] = sample;
            completions[i] = completion(recipe, sample, bad, random);
        }
        return new Pool(samples, completions, malformed);
    }

    private static Sample sample(ProblemType type, int index, Random random) {
        String id = "bench-" + index;
        String question = "What happens in the video?";
        return switch (type) {
            case MULTIPLE_CHOICE -> {
                List<String> options = new ArrayList<>();
                int first = random.nextInt(OPTIONS.length);
                for (int k = 0; k < 4; k++) {
                    options.add((char) ('A' + k) + ". the " + OPTIONS[(first + k) % OPTIONS.length] + " cup");
                }
                yield new Sample(id, "Which cup does the man pick up?", type, options,
                        new Solution.Text(String.valueOf((char) ('A' + random.nextInt(4)))));
            }
            case NUMERICAL -> new Sample(id, "How many times does the dog jump?", type, List.of(),
                    new Solution.Text(random.nextInt(4) == 0 ? (1 + random.nextInt(20)) + ".5"
                            : String.valueOf(1 + random.nextInt(20))));
            case TEMPORAL_GROUNDING -> {
                double start = random.nextInt(900) / 10.0;
                double end = start + 2 + random.nextInt(280) / 10.0;
                yield new Sample(id, "When does the man open the door?", type, List.of(),
                        new Solution.Segments(List.of(Interval.between(start, end))));
            }
            case EXACT_MATCH -> new Sample(id, "Does the woman leave the room?", type, List.of(),
                    new Solution.Text(random.nextBoolean() ? "yes" : "no"));
            case FREE_FORM -> new Sample(id, question, type, List.of(), new Solution.Text(phrase(random)));
            default -> throw new IllegalArgumentException("no generator for " + type);
        };
    }

    /** An answer for the sample: right about 60% of the time, in varied spellings. */
    private static String answer(Sample sample, Random random) {
        boolean right = random.nextDouble() < 0.6;
        Solution solution = sample.solution();
        switch (sample.problemType()) {
            case MULTIPLE_CHOICE: {
                String truth = ((Solution.Text) solution).answer();
                char letter = right ? truth.charAt(0) : (char) ('A' + random.nextInt(4));
                return switch (random.nextInt(4)) {
                    case 0, 1 -> String.valueOf(letter);
                    case 2 -> "(" + letter + ")";
                    default -> sample.options().get(letter - 'A');
                };
            }
            case NUMERICAL: {
                String truth = ((Solution.Text) solution).answer();
                if (right) {
                    return random.nextInt(5) == 0 && truth.indexOf('.') < 0 ? truth + ".0" : truth;
                }
                return String.valueOf(1 + random.nextInt(20));
            }
            case TEMPORAL_GROUNDING: {
                Interval truth = ((Solution.Segments) solution).intervals().get(0);
                double jitter = right ? 0 : 5 + random.nextInt(100) / 10.0;
                double start = Math.max(0, truth.start() + jitter - random.nextInt(20) / 10.0);
                double end = truth.end() + jitter + random.nextInt(20) / 10.0;
                return random.nextInt(3) == 0
                        ? String.format(Locale.ROOT, "%.1f to %.1f seconds", start, end)
                        : String.format(Locale.ROOT, "[%.1f, %.1f]", start, end);
            }
            case EXACT_MATCH: {
                String truth = ((Solution.Text) solution).answer();
                String said = right ? truth : (truth.equals("yes") ? "no" : "yes");
                return switch (random.nextInt(3)) {
                    case 0 -> said;
                    case 1 -> Character.toUpperCase(said.charAt(0)) + said.substring(1);
                    default -> said + ".";
                };
            }
            default:
                return right ? ((Solution.Text) solution).answer() : phrase(random);
        }
    }

    private static String phrase(Random random) {
        return pick(SUBJECTS, random) + " " + pick(VERBS, random) + " " + pick(OBJECTS, random);
    }

    private static String timestamp(Random random) {
        return String.format(Locale.ROOT, "%02d:%02d", random.nextInt(3), random.nextInt(60));
    }

    /** One or two sentences citing a time, then a conclusion that may repeat the answer. */
    private static String reasoning(String answer, Random random) {
        StringBuilder text = new StringBuilder();
        text.append("At ").append(timestamp(random)).append(' ').append(phrase(random)).append('.');
        if (random.nextInt(4) == 0) {
            text.append(" Then ").append(phrase(random)).append('.');
        }
        switch (random.nextInt(3)) {
            case 0 -> text.append(" So the answer is ").append(answer).append('.');
            case 1 -> text.append(" This matches ").append(answer).append('.');
            default -> text.append(" That settles it.");
        }
        return text.toString();
    }

    private static String completion(String recipe, Sample sample, boolean malformed, Random random) {
        String answer = answer(sample, random);
        String think = reasoning(answer, random);
        String gap = random.nextInt(3) == 0 ? "\n" : random.nextBoolean() ? " " : "";
        int variant = malformed ? random.nextInt(5) : -1;
        return switch (recipe) {
            case VideoAutoR1.NAME -> {
                String first = random.nextInt(10) < 3 ? VideoAutoR1.FALLBACK_PHRASE : answer(sample, random);
                yield switch (variant) {
                    case 0 -> "\\boxed{" + first + "}<think>" + think + gap + "\\boxed{" + answer + "}";
                    case 1 -> "\\boxed{" + first + "}<think>" + think + "</think>\\boxed{" + answer + "} \\boxed{"
                            + first + "}";
                    case 2 -> "\\boxed{" + first + "}<think>" + think + "</think>" + gap + "\\boxed{" + answer;
                    case 3 -> "<think>" + think + "</think>" + gap + "\\boxed{" + answer + "}";
                    case 4 -> "\\boxed{" + first + "}<think>" + think + "</think>\\boxed{" + answer
                            + "} The answer is " + answer + ".";
                    default -> "\\boxed{" + first + "}" + gap + "<think>" + think + "</think>" + gap
                            + "\\boxed{" + answer + "}";
                };
            }
            case VideoR2.NAME -> switch (variant) {
                case 0 -> "<think>" + think + "</think>" + gap + "<answer>" + answer;
                case 1 -> "<think>" + think + "</think><answer>" + answer + "</answer><answer>" + answer(sample, random)
                        + "</answer>";
                case 2 -> think + gap + "<answer>" + answer + "</answer>";
                case 3 -> "<think>" + think + gap + "<answer>" + answer + "</answer>";
                case 4 -> "<think>" + think + "</think> The answer is " + answer + ".";
                default -> "<think>" + think + "</think>" + gap + "<answer>" + answer + "</answer>";
            };
            case VideoP2R.NAME -> {
                String observation = "<observation>Based on the question, I need to notice " + phrase(random)
                        + (random.nextBoolean() ? "" : " near " + timestamp(random)) + ".</observation>";
                yield switch (variant) {
                    case 0 -> "<think>" + think + "</think><answer>" + answer + "</answer>";
                    case 1 -> observation.replace("</observation>", "") + gap + "<think>" + think + "</think><answer>"
                            + answer + "</answer>";
                    case 2 -> observation + gap + "<think>" + think + "</think><answer>" + answer + "</answer><answer>"
                            + answer(sample, random) + "</answer>";
                    case 3 -> observation + gap + "<think>" + think + "<answer>" + answer + "</answer>";
                    case 4 -> observation + gap + "<think>" + think + "</think> The answer is " + answer + ".";
                    default -> observation + gap + "<think>" + think + "</think>" + gap + "<answer>" + answer
                            + "</answer>";
                };
            }
            default -> throw new IllegalArgumentException("no template for recipe " + recipe);
        };
    }

    /** The sample the long completions are scored against: free form, the costliest metric (ROUGE). */
    static Sample longSample() {
        return new Sample("bench-long", "What happens in the video?", ProblemType.FREE_FORM, List.of(),
                new Solution.Text("the man pours water into the glass"));
    }

    /**
     * A completion of {@code chars} characters (give or take one piece) in one of the shapes:
     * <ul>
     *   <li>{@value #WELL_FORMED}: the template with a long reasoning block and a short answer;</li>
     *   <li>{@value #OPEN_BOXES}: the template with every slot filled with {@code \boxed{{} repeated;</li>
     *   <li>{@value #OPEN_TAGS}: {@code <observation><think><answer>\boxed{} repeated, never closed;</li>
     *   <li>{@value #TAG_SOUP}: unbalanced: a first half of closing tags, then a second half of opening
     *       tags, both among digits, times, words, boxes and opening braces, so that every search for a
     *       block's close runs to the end of the text;</li>
     *   <li>{@value #HUGE_ANSWER}: the template with a short reasoning block and a huge answer.</li>
     * </ul>
     */
    static String longCompletion(String recipe, String shape, int chars, long seed) {
        Random random = new Random(seed);
        String truth = "the man pours water into the glass";
        return switch (shape) {
            case WELL_FORMED -> template(recipe, VideoAutoR1.FALLBACK_PHRASE, fill(chars, random, r -> reasoning(phrase(r), r) + " "), truth);
            case OPEN_BOXES -> {
                // Half in the reasoning, half in the answer slot(s): videoauto-r1 has two, a1 and a2.
                boolean twoAnswers = recipe.equals(VideoAutoR1.NAME);
                String answer = "\\boxed{{".repeat((twoAnswers ? chars / 4 : chars / 2) / 8);
                yield template(recipe, twoAnswers ? answer : VideoAutoR1.FALLBACK_PHRASE,
                        "\\boxed{{".repeat(chars / 2 / 8), answer);
            }
            case OPEN_TAGS -> "<observation><think><answer>\\boxed{".repeat(chars / 35);
            case TAG_SOUP -> fill(chars / 2, random, r -> soupPiece(CLOSING, r)) + fill(chars / 2, random, r -> soupPiece(OPENING, r));
            case HUGE_ANSWER -> template(recipe, VideoAutoR1.FALLBACK_PHRASE, reasoning(truth, random),
                    fill(chars, random, r -> pick(SUBJECTS, r) + " 12.5 to 20 " + timestamp(r) + " " + pick(OBJECTS, r) + " "));
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        };
    }

    private static final String[] CLOSING = {"</think>", "</answer>", "</observation>", "\\boxed{", "{", " ", "\n",
        "[", "]", ", ", " to "};
    private static final String[] OPENING = {"<think>", "<answer>", "<observation>", "\\boxed{", "{", " ", "\n",
        "[", "]", ", ", " to "};

    private static String soupPiece(String[] tags, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> String.valueOf(random.nextInt(1000));
            case 1 -> timestamp(random);
            case 2 -> pick(OBJECTS, random) + " ";
            default -> pick(tags, random);
        };
    }

    /** The recipe's template around the given slots; {@code first} is videoauto-r1's a1, unused elsewhere. */
    private static String template(String recipe, String first, String think, String answer) {
        return switch (recipe) {
            case VideoAutoR1.NAME -> "\\boxed{" + first + "}<think>" + think + "</think>\\boxed{"
                    + answer + "}";
            case VideoR2.NAME -> "<think>" + think + "</think>\n<answer>" + answer + "</answer>";
            case VideoP2R.NAME -> "<observation>Based on the question, I need to notice " + phrase(new Random(1))
                    + ".</observation>\n<think>" + think + "</think>\n<answer>" + answer + "</answer>";
            default -> throw new IllegalArgumentException("no template for recipe " + recipe);
        };
    }

    private interface Piece {
        String next(Random random);
    }

    private static String fill(int chars, Random random, Piece piece) {
        StringBuilder text = new StringBuilder(chars + 256);
        while (text.length() < chars) {
            text.append(piece.next(random));
        }
        return text.toString();
    }

    private static String pick(String[] values, Random random) {
        return values[random.nextInt(values.length)];
    }

    /** Prints each pool's token counts, malformed share and problem-type mix. */
    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : RewardScoringBenchmark.POOL;
        for (String recipe : List.of(VideoAutoR1.NAME, VideoR2.NAME, VideoP2R.NAME)) {
            Pool pool = shortPool(recipe, size, RewardScoringBenchmark.SEED);
            int min = Integer.MAX_VALUE;
            int max = 0;
            long total = 0;
            Map<ProblemType, Integer> mix = new EnumMap<>(ProblemType.class);
            for (int i = 0; i < size; i++) {
                String completion = pool.completions()[i];
                int tokens = WordPunctTokenizer.INSTANCE.tokenize(completion).count(new Span(0, completion.length()));
                min = Math.min(min, tokens);
                max = Math.max(max, tokens);
                total += tokens;
                mix.merge(pool.samples()[i].problemType(), 1, Integer::sum);
            }
            System.out.printf(Locale.ROOT, "%-13s tokens min %d, mean %.1f, max %d; malformed %.1f%%; mix %s%n",
                    recipe, min, (double) total / size, max, 100.0 * pool.malformed() / size, mix);
            for (int i = 0; i < 3; i++) {
                System.out.println("    " + pool.completions()[i].replace("\n", "\\n"));
            }
        }
        for (String shape : List.of(WELL_FORMED, OPEN_BOXES, OPEN_TAGS, TAG_SOUP, HUGE_ANSWER)) {
            String text = longCompletion(VideoR2.NAME, shape, LongCompletionBenchmark.CHARS, 7);
            System.out.printf(Locale.ROOT, "%-12s %,d chars: %s…%n", shape, text.length(),
                    text.substring(0, 80).replace("\n", "\\n"));
        }
    }
}
