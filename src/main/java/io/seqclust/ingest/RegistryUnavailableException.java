package io.seqclust.ingest;

/**
 * The schema registry could not be asked (unreachable, or a server error): not the record's fault, so it is not
 * dead-lettered; the stream thread stops on it and its replacement reads the record again from the last commit.
 */
public final class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
