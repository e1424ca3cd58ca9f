package io.seqclust.cli;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqclust.assignment.AssignmentEngine;
import io.seqclust.assignment.AssignmentWriter;
import io.seqclust.assignment.Batching;
import io.seqclust.assignment.InputPositions;
import io.seqclust.assignment.ModelCatalog;
import io.seqclust.assignment.TopologyProducer;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.ClusterAlignment;
import io.seqclust.clustering.ModelKind;
import io.seqclust.clustering.ModelSettings;
import io.seqclust.clustering.Rocket;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.demo.DemoStream;
import io.seqclust.ingest.InputLimits;
import io.seqclust.ingest.SequenceParser;
import io.seqclust.kafka.EmbeddedKafkaBroker;
import io.seqclust.metrics.SeqclustMetrics;
import io.seqclust.model.train.TrainingProgress;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code bench --online}: on an embedded broker, a Kafka Streams identity topology (bytes in, bytes out,
 * exactly-once, one thread) and the seqclust topology serving a trained model, on the same records: the
 * throughput of each over a backlog and their ratio, then the end-to-end latency (produced → committed
 * output seen by a read-committed consumer) of each at a fixed offered load, and the p99 the model adds.
 */
final class OnlineBench {

    /**
     * @param modelSettings the model's settings record
     * @param count records of the throughput backlog
     * @param rate  records per second of the latency run
     * @param seconds length of the latency run
     * @param rounds  counted rounds of each measurement, after a warm-up round: the topologies take turns, so that
     *                neither is always the one that runs on a colder JVM and broker (without the warm-up the first
     *                identity run measured up to 40 % slower than the second; the JIT keeps improving both over the
     *                first rounds)
     */
    record Settings(ModelKind model, Record modelSettings, int length, int dims, int train, int count, double rate, int seconds,
                    int rounds, Batching batching) {

        Settings {
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1 (was " + rounds + ")");
            }
        }
    }

    private record Latency(double p50, double p99) {

        static Latency of(List<Long> millis) {
            long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Latency(percentile(sorted, 0.50), percentile(sorted, 0.99));
        }
    }

    /**
     * Each latency round's first records, produced at the offered rate and not counted. A round starts a new
     * topology, producer and consumer, and the records of its first ~200 ms waited up to 217-308 ms (measured,
     * both topologies, every round): 1-2 % of a 10 s round, they were the p99 of both, 123-209 ms, where the rest
     * read 111-121 ms. A cost of starting, not of the steady state that the comparison is about.
     */
    private static final Duration LEAD_IN = Duration.ofSeconds(1);
    /** The service's setting that bounds how late an idle stream thread punctuates, and so ends a micro-batch's wait. */
    private static final String POLL_MS = "kafka-streams." + StreamsConfig.POLL_MS_CONFIG;

    private static final OperatingSystemMXBean PROCESS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Settings s;
    private final Path work;
    /** The clients of every topology of the run, as the service makes them. */
    private final InputPositions positions = new InputPositions();
    private EmbeddedKafkaBroker broker;
    /** The latency runs' seqclust metrics, their time per record in the topology with its p50 and p99. */
    private final SimpleMeterRegistry loadMetrics = new SimpleMeterRegistry();

    OnlineBench(Settings settings) throws Exception {
        this.s = settings;
        this.work = Files.createTempDirectory("seqclust-bench-online");
        // only what the bench reads: the rounds share the registry, and each round's gauges would register again
        loadMetrics.config().meterFilter(MeterFilter.acceptNameStartsWith("seqclust.assignment.")).meterFilter(MeterFilter.deny());
        loadMetrics.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder().percentiles(0.5, 0.99).expiry(Duration.ofHours(1)).bufferLength(1).build()
                        .merge(config);
            }
        });
    }

    void run() throws Exception {
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0);
        try {
            DemoStream demo = new DemoStream(3, s.dims(), 4, s.length(), s.length(), 0.2);
            List<byte[]> records = new ArrayList<>();
            for (int i = 0; i < s.count() + s.train(); i++) {
                records.add(DemoStream.toJson("b-" + i, "bench", i, demo.next().values()).getBytes(StandardCharsets.UTF_8));
            }
            Checkpoint checkpoint = train(demo);
            System.out.printf("online: T = %d, D = %d (%d bytes of JSON per record), model %s trained on %d sequences;"
                    + " exactly-once, 1 stream thread, commit interval 100 ms; batches of up to %d records, %d ms wait,"
                    + " a pass split over up to %d threads; random-kernel features %s%n", s.length(), s.dims(), records.get(0).length,
                    s.model().id(), s.train(), s.batching().size(), s.batching().maxWait().toMillis(), s.batching().threads(),
                    Rocket.arithmetic());
            List<String> topics = new ArrayList<>(List.of("bench.in", "bench.models", "bench.dead"));
            for (int round = 0; round <= s.rounds(); round++) {
                topics.addAll(List.of("bench.identity.out." + round, "bench.assignments." + round, "bench.load.identity." + round,
                        "bench.load.identity.out." + round, "bench.load.seqclust." + round, "bench.load.assignments." + round));
            }
            createTopics(topics.toArray(String[]::new));
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>("bench.models", Checkpoint.TOPIC_KEY.getBytes(StandardCharsets.UTF_8),
                        checkpoint.toBytes())).get();
                for (byte[] r : records.subList(0, s.count())) {
                    producer.send(new ProducerRecord<>("bench.in", r));
                }
                producer.flush();
            }
            String seqclust = "seqclust (" + s.model().id() + ")";
            // round 0 warms the broker's, the clients' and the model's code paths: it is not counted
            throughput("identity (warm-up, not counted)", 0, identity("bench.in", "bench.identity.out.0"), "bench.identity.out.0");
            throughput(seqclust + " (warm-up, not counted)", 0, seqclust("bench.in", "bench.assignments.0", new SimpleMeterRegistry()),
                    "bench.assignments.0");
            List<Round> identityBacklog = new ArrayList<>();
            List<Round> seqclustBacklog = new ArrayList<>();
            for (int round = 1; round <= s.rounds(); round++) {
                identityBacklog.add(throughput("identity", round, identity("bench.in", "bench.identity.out." + round),
                        "bench.identity.out." + round));
                seqclustBacklog.add(throughput(seqclust, round, seqclust("bench.in", "bench.assignments." + round,
                        new SimpleMeterRegistry()), "bench.assignments." + round));
            }
            double identityCpu = identityBacklog.stream().mapToDouble(Round::cpuPerRecord).min().orElseThrow();
            double seqclustCpu = seqclustBacklog.stream().mapToDouble(Round::cpuPerRecord).min().orElseThrow();
            System.out.printf("CPU per record: identity %.3f ms, %s %.3f ms (%.2f×; least of %d rounds each)%n", identityCpu, seqclust,
                    seqclustCpu, seqclustCpu / identityCpu, s.rounds());
            System.out.printf("throughput ratio %.2f (best of %d rounds each)%n",
                    seqclustBacklog.stream().mapToDouble(Round::perSecond).max().orElseThrow()
                            / identityBacklog.stream().mapToDouble(Round::perSecond).max().orElseThrow(), s.rounds());
            // round 0 warms what a light load runs and a backlog does not (batches of one or two records, the model's pass
            // over one sequence): without it rddc's first latency round read a p50 9-23 ms above its later rounds (the identity's 0-8 ms)
            List<Long> identityLatencies = new ArrayList<>();
            List<Long> seqclustLatencies = new ArrayList<>();
            List<Latency> identityRounds = new ArrayList<>();
            List<Latency> seqclustRounds = new ArrayList<>();
            for (int round = 0; round <= s.rounds(); round++) {
                String warmUp = round == 0 ? " (warm-up, not counted)" : "";
                List<Long> identityRun = latency("identity" + warmUp, round, identity("bench.load.identity." + round, "bench.load.identity.out." + round),
                        "bench.load.identity." + round, "bench.load.identity.out." + round, records);
                List<Long> seqclustRun = latency(seqclust + warmUp, round, seqclust("bench.load.seqclust." + round, "bench.load.assignments." + round,
                        round == 0 ? new SimpleMeterRegistry() : loadMetrics), "bench.load.seqclust." + round,
                        "bench.load.assignments." + round, records);
                if (round > 0) {
                    identityLatencies.addAll(identityRun);
                    seqclustLatencies.addAll(seqclustRun);
                    identityRounds.add(Latency.of(identityRun));
                    seqclustRounds.add(Latency.of(seqclustRun));
                }
            }
            Latency li = Latency.of(identityLatencies);
            Latency ls = Latency.of(seqclustLatencies);
            System.out.printf("over the %d rounds: identity p50 %.1f ms, p99 %.1f ms; %s p50 %.1f ms, p99 %.1f ms%n",
                    s.rounds(), li.p50(), li.p99(), seqclust, ls.p50(), ls.p99());
            System.out.printf("added p99 %.1f ms (p50 %+.1f ms)%n", ls.p99() - li.p99(), ls.p50() - li.p50());
            // the p99 of a round is set by its exactly-once commits, so the added p99 is a difference of two noisy
            // numbers: the rounds' own differences and the identity's spread across rounds say how far it resolves
            System.out.printf("added p99 per round: %s ms; the identity's own p99 across rounds: %.1f to %.1f ms%n",
                    IntStream.range(0, s.rounds()).mapToObj(r -> String.format("%+.1f", seqclustRounds.get(r).p99() - identityRounds.get(r).p99()))
                            .collect(Collectors.joining(" / ")),
                    identityRounds.stream().mapToDouble(Latency::p99).min().orElseThrow(),
                    identityRounds.stream().mapToDouble(Latency::p99).max().orElseThrow());
            ValueAtPercentile[] inTopology = loadMetrics.get("seqclust.assignment.latency").timer().takeSnapshot().percentileValues();
            System.out.printf("in the topology (decode, validate, assign, serialise one record: the service's"
                    + " seqclust.assignment.latency over the latency runs): p50 %.2f ms, p99 %.2f ms%n",
                    inTopology[0].value(TimeUnit.MILLISECONDS), inTopology[1].value(TimeUnit.MILLISECONDS));
            System.out.printf("micro-batches over the latency runs, by what ended their wait: %s%n",
                    loadMetrics.find("seqclust.assignment.batches").counters().stream()
                            .map(c -> c.getId().getTag("trigger") + " " + (long) c.count()).sorted().collect(Collectors.joining(", ")));
        } finally {
            broker.close();
            FileUtils.deleteDirectory(work.toFile()); // the broker's logs and the topologies' state: about 2 GB a run
        }
    }

    /** The model trained on records like those of the run, as the trainer would publish it (unsigned). */
    private Checkpoint train(DemoStream demo) {
        List<double[][]> window = new ArrayList<>();
        for (int i = 0; i < s.train(); i++) {
            window.add(demo.next().values());
        }
        Record settings = s.modelSettings();
        Assigner assigner = s.model().spec().create(settings, 4).fit(window, 1, TrainingProgress.NONE).assigner();
        return new Checkpoint(s.model().id(), 1, System.currentTimeMillis(), ModelSettings.json(settings), assigner.k(), s.dims(),
                window.size(), ClusterAlignment.identity(assigner.k()), assigner.payload());
    }

    private Topology identity(String in, String out) {
        Topology t = new Topology();
        t.addSource("in", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), in);
        t.addSink("out", out, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), "in");
        return t;
    }

    /** @param registry where its meters go: {@link #loadMetrics} for the counted latency rounds */
    private Topology seqclust(String in, String out, MeterRegistry registry) {
        SeqclustMetrics metrics = new SeqclustMetrics(registry, in);
        InputLimits limits = new InputLimits(1_000_000, 10_000, 1000, 256, 1e12, 8, 16384);
        ModelCatalog catalog = new ModelCatalog(metrics, OptionalInt.empty(), limits.dims(), Optional.empty());
        return TopologyProducer.build(new Topics(in, out), new AssignmentEngine(new SequenceParser(limits)), catalog, metrics, s.batching(),
                AssignmentWriter.JSON, positions);
    }

    /** The topics of a seqclust topology of this benchmark. */
    private static final int MODELS_MAX_BYTES = Integer.parseInt(SeqclustConfig.Topics.DEFAULT_MODELS_MAX_BYTES);

    private record Topics(String sequences, String assignments) implements SeqclustConfig.Topics {
        public String deadLetters() {
            return "bench.dead";
        }

        public String models() {
            return "bench.models";
        }

        public String audio() {
            return "bench.audio";
        }

        public int partitions() {
            return 1;
        }

        public short replicationFactor() {
            return 1;
        }

        public int modelsMaxBytes() {
            return MODELS_MAX_BYTES;
        }
    }

    /**
     * A backlog round: records per second, from the first output's append time to the last's, and the process's CPU
     * time per record over the round (the broker's and the bench's reader's too, alike for both topologies). The
     * CPU is the steadier of the two measures on a noisy machine: where the cores are saturated, it is what bounds
     * the rate.
     */
    private Round throughput(String name, int round, Topology topology, String out) throws Exception {
        long cpu = PROCESS.getProcessCpuTime();
        try (KafkaStreams streams = start(name + "-" + round, topology)) {
            List<ConsumerRecord<byte[], byte[]>> outputs = read(out, s.count(), Duration.ofMinutes(10));
            double cpuPerRecord = (PROCESS.getProcessCpuTime() - cpu) / 1e6 / outputs.size();
            long first = outputs.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow();
            long last = outputs.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
            double perSecond = (outputs.size() - 1) * 1000.0 / Math.max(1, last - first);
            System.out.printf("round %d, %s topology: %,.0f records/s over %,d records, %.3f ms of CPU per record%n", round, name,
                    perSecond, outputs.size(), cpuPerRecord);
            streams.close(Duration.ofSeconds(30));
            return new Round(perSecond, cpuPerRecord);
        }
    }

    /** A backlog round's records per second and CPU milliseconds per record. */
    private record Round(double perSecond, double cpuPerRecord) {
    }

    /**
     * Produces at the offered rate, each record stamped with its send time, and times each committed output of the
     * records sent after a {@link #LEAD_IN} at the same rate.
     */
    private List<Long> latency(String name, int round, Topology topology, String in, String out, List<byte[]> records)
            throws Exception {
        int leadIn = (int) Math.round(s.rate() * LEAD_IN.toMillis() / 1000.0);
        int n = leadIn + (int) Math.round(s.rate() * s.seconds());
        try (KafkaStreams streams = start(name + "-load-" + round, topology);
             KafkaProducer<byte[], byte[]> producer = producer();
             KafkaConsumer<byte[], byte[]> consumer = consumer(out)) {
            Thread.sleep(3000); // let the topology take its partition before the clock starts
            long start = System.nanoTime();
            long counted = System.currentTimeMillis() + LEAD_IN.toMillis();
            List<Long> millis = new ArrayList<>();
            long worst = -1;
            long worstSent = 0;
            int got = 0;
            int sent = 0;
            long deadline = start + TimeUnit.SECONDS.toNanos(LEAD_IN.toSeconds() + s.seconds() + 60L);
            while (got < n && System.nanoTime() < deadline) {
                long due = start + (long) (sent * 1e9 / s.rate());
                while (sent < n && System.nanoTime() >= due) {
                    producer.send(new ProducerRecord<>(in, null, System.currentTimeMillis(), null, records.get(sent % records.size())));
                    sent++;
                    due = start + (long) (sent * 1e9 / s.rate());
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(1))) {
                    got++;
                    if (r.timestamp() >= counted) {
                        long waited = System.currentTimeMillis() - r.timestamp();
                        millis.add(waited);
                        if (waited > worst) {
                            worst = waited;
                            worstSent = r.timestamp() - counted;
                        }
                    }
                }
            }
            Latency l = Latency.of(millis);
            // where the slowest record was sent places a stall next to a GC log or a recording of the same run
            System.out.printf("round %d, %s topology at %.0f records/s for %d s after a %d s lead-in: end-to-end p50 %.1f ms,"
                    + " p99 %.1f ms, worst %d ms (sent %.2f s into the counted run) (%d of %d records)%n", round, name, s.rate(),
                    s.seconds(), LEAD_IN.toSeconds(), l.p50(), l.p99(), worst, worstSent / 1000.0, got, n);
            streams.close(Duration.ofSeconds(30));
            return millis;
        }
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private KafkaStreams start(String name, Topology topology) throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + name.replaceAll("[^a-z0-9-]", "-"));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.POLL_MS_CONFIG, serviceSetting(POLL_MS));
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(work, "streams").toString());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        KafkaStreams streams = new KafkaStreams(topology, p, positions);
        streams.start();
        return streams;
    }

    /** A literal setting of the service's application.properties, so that the benchmark runs the topology as the service does. */
    private static String serviceSetting(String key) {
        return Optional.ofNullable(ServiceProperties.load().getProperty(key))
                .orElseThrow(() -> new IllegalStateException(key + " is not in application.properties"));
    }

    private void createTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                // the backlog's outputs are stamped by the broker (throughput is read off their append times); the load
                // run's carry their input's send time (latency is measured from it)
                boolean backlogOutput = name.startsWith("bench.identity.out") || name.startsWith("bench.assignments");
                topics.add(new NewTopic(name, 1, (short) 1).configs(backlogOutput ? Map.of("message.timestamp.type", "LogAppendTime")
                        : name.equals("bench.models") ? Map.of("max.message.bytes", Integer.toString(MODELS_MAX_BYTES)) : Map.of()));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MODELS_MAX_BYTES), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer(String topic) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition p = new TopicPartition(topic, 0);
        c.assign(List.of(p));
        c.seekToEnd(List.of(p));
        c.position(p);
        return c;
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic, int n, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition p = new TopicPartition(topic, 0);
            c.assign(List.of(p));
            c.seekToBeginning(List.of(p));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        if (out.size() < n) {
            throw new IllegalStateException(topic + ": " + out.size() + " of " + n + " outputs within " + timeout);
        }
        return out;
    }
}
