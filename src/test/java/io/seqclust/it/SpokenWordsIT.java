package io.seqclust.it;

import io.seqclust.assignment.Assignment;
import io.seqclust.audio.AudioSettings;
import io.seqclust.clustering.ModelKind;
import io.seqclust.evaluation.ClusteringScores;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real speech through the audio front door: five words spoken by espeak-ng in five voices, two speeds and two
 * pitches, at four sample rates, produced as WAV files to {@code seqclust.audio}, become log-mel sequences, and
 * the service's default model clusters them, scored against the words (which only score: they travel in a
 * header the service passes through).
 */
class SpokenWordsIT extends ProcessTest {

    @Test
    void spokenWordsAreClusteredByTheDefaultModel() throws Exception {
        String missing = SpokenWords.missingTools();
        Assumptions.assumeTrue(missing == null, missing + ": the spoken-word test does not run here");
        List<SpokenWords.Clip> clips = new ArrayList<>(SpokenWords.all(Files.createTempDirectory(work, "words")));
        Collections.shuffle(clips, new Random(5));
        int n = clips.size();
        try (TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            ServiceProcess service = launch("words", ServiceProcess.freePort(),
                    "-Dseqclust.model.k=" + SpokenWords.WORDS.size(), "-Dseqclust.training.min-records=" + n);
            service.awaitStatus("topics created", s -> s.path("topics").path("seqclust.audio").asBoolean());
            Map<String, String> wordOf = new HashMap<>();
            for (int i = 0; i < n; i++) {
                SpokenWords.Clip c = clips.get(i);
                String id = "w-" + i;
                wordOf.put(id, c.word());
                ProducerRecord<String, byte[]> record = new ProducerRecord<>("seqclust.audio", id, c.wav());
                record.headers().add("word", c.word().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                kafka.send(record);
            }
            kafka.flush();
            List<ConsumerRecord<String, byte[]>> out = kafka.readUntil("seqclust.assignments", k -> k.startsWith("w-"),
                    l -> l.size() >= n, ServiceProcess.TIMEOUT, Duration.ofSeconds(2));
            assertEquals(n, out.size(), "one assignment per clip:\n" + service.log());
            int[] truth = new int[n];
            int[] predicted = new int[n];
            for (int i = 0; i < n; i++) {
                ConsumerRecord<String, byte[]> r = out.get(i);
                Assignment a = Assignment.fromJson(r.value());
                assertEquals(r.key(), a.id(), "the key is the id");
                assertEquals(ModelKind.DEFAULT_ID, a.model());
                assertEquals(wordOf.get(r.key()), TestKafka.header(r, "word"), "the producer's header travels with the clip");
                truth[i] = SpokenWords.WORDS.indexOf(wordOf.get(r.key()));
                predicted[i] = a.cluster();
            }
            ClusteringScores scores = ClusteringScores.of(truth, predicted);
            System.out.printf("spoken words: %d clips of %s, %s, default model %s, %d log-mel bands%n", n,
                    SpokenWords.WORDS, scores, ModelKind.DEFAULT_ID, AudioSettings.DEFAULTS.bands());
            assertTrue(scores.acc() >= 0.9, "ACC against the words: " + scores);
        }
    }
}
