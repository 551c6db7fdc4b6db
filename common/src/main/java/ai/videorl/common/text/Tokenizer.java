package ai.videorl.common.text;

/** Splits a completion into tokens and reports where each lies in the text. */
@FunctionalInterface
public interface Tokenizer {

    TokenOffsets tokenize(String text);
}
