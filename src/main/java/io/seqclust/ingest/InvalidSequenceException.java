package io.seqclust.ingest;

/** A rejected record: the code and a message that tells the producer what to fix. */
public final class InvalidSequenceException extends Exception {

    private final ErrorCode code;

    public InvalidSequenceException(ErrorCode code, String message) {
        // rejections are expected traffic, not bugs: no stack trace to fill
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
