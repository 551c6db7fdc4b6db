package ai.videorl.common.recipe;

/**
 * A part of a completion that receives its own advantage. Single-segment recipes use
 * {@link #RESPONSE} for the whole completion; VideoP2R splits it into {@link #PERCEPTION}
 * (the observation) and {@link #REASONING} (think + answer).
 */
public enum Segment {
    RESPONSE,
    PERCEPTION,
    REASONING,
}
