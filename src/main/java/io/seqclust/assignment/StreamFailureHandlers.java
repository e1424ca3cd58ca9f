package io.seqclust.assignment;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * What Kafka Streams does when something fails outside the processor's own handling. Records are bounded
 * before they are written (see {@link DeadLetters}), so these are the last line: a topic whose limit is
 * below an output, or an error that kills a stream thread.
 */
public final class StreamFailureHandlers {

    private static final Logger LOG = Logger.getLogger(StreamFailureHandlers.class);

    private StreamFailureHandlers() {
    }

    /**
     * An output the broker refuses as too large is dropped with an error naming its input, and the stream
     * goes on; Kafka's default would stop the client and fail again on the same record after every restart.
     * Other production errors keep the default (fail), as exactly-once needs.
     */
    public static final class OversizeOutput implements ProductionExceptionHandler {

        @Override
        public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                                         Exception exception) {
            if (exception instanceof RecordTooLargeException) {
                LOG.errorf("an output to %s for input %s-%d@%d is larger than the topic or producer accepts and is dropped: %s",
                        record.topic(), context.topic(), context.partition(), context.offset(), exception.getMessage());
                return ProductionExceptionHandlerResponse.CONTINUE;
            }
            return ProductionExceptionHandlerResponse.FAIL;
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    /** A stream thread that dies of an unexpected error is replaced, never left dead with the client in ERROR. */
    @ApplicationScoped
    public static class ReplaceThread implements StreamsUncaughtExceptionHandler {

        @Override
        public StreamThreadExceptionResponse handle(Throwable exception) {
            LOG.errorf(exception, "a Kafka Streams thread died; replacing it");
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
    }
}
