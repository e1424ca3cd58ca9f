package io.seqclust.model.archfixture;

import org.apache.kafka.clients.producer.Producer;

/** A test-only class in the model's namespace that reaches for Kafka: ArchitectureTest shows its rule rejects it. */
public final class ReachesForKafka {

    private ReachesForKafka() {
    }

    public static int partitions(Producer<?, ?> producer, String topic) {
        return producer.partitionsFor(topic).size();
    }
}
