package ai.videorl.cluster.generate;

/** A model answering one prompt about one video: a pretrained checkpoint or a run's tiny policy. */
public interface PromptGenerator extends AutoCloseable {

    GenerateResult generate(GenerateRequest request);

    /** What the model is, for the console (architecture and where it came from). */
    String description();

    @Override
    void close();
}
