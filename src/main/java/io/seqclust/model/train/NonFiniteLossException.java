package io.seqclust.model.train;

/** Training stopped because the loss or the gradient norm stopped being a finite number. */
public final class NonFiniteLossException extends IllegalStateException {

    NonFiniteLossException(String message) {
        super(message);
    }
}
