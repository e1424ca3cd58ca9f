package io.seqclust.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.CommonClientConfigs;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings of seqclust's own admin, producer and consumer clients: every {@code kafka.*} setting
 * (bootstrap servers, security, SASL), as the SmallRye channels get them.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> common;

    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.common = Map.copyOf(kafkaConfig);
    }

    public String bootstrapServers() {
        return String.valueOf(common.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    /** A fresh, mutable client configuration. */
    public Map<String, Object> config(String clientId) {
        Map<String, Object> c = new HashMap<>();
        common.forEach((key, value) -> {
            // only client settings: the map also carries Quarkus' own keys (health, devservices, …)
            if (key.contains(".") && !key.startsWith("health") && !key.startsWith("devservices")) {
                c.put(key, value);
            }
        });
        c.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return c;
    }
}
