package ai.videorl.common.recipe;

import ai.videorl.common.text.Span;

import java.util.Map;

/** What every recipe's parser extracts from a completion. */
public interface ParsedCompletion {

    /** The answer the task metric scores; "" when none can be extracted. */
    String finalAnswer();

    /**
     * Character spans of the segments, covering the completion without overlap, so that every
     * token gets exactly one segment's advantage.
     */
    Map<Segment, Span> segments();
}
