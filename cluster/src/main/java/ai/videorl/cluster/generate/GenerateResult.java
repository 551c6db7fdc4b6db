package ai.videorl.cluster.generate;

/**
 * What a model answered, as {@code generate --json} writes it.
 *
 * @param promptIds the prompt's token ids after the template and the video placeholder's expansion
 * @param responseIds the response's token ids, a stop token included
 * @param response the response's text, special tokens left out
 * @param logProbs each response token's log-probability under the distribution it was drawn from (float32)
 * @param videoGridThw the video's grid: temporal patches, and rows and columns of patches (Qwen);
 *        frames, height and width in pixels (the tiny policy)
 * @param frameIndices the chosen frames' indices in the decoded stream
 */
public record GenerateResult(int[] promptIds, int[] responseIds, String response, float[] logProbs, int[] videoGridThw,
                             int[] frameIndices) {
}
