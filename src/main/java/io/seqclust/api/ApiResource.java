package io.seqclust.api;

import io.seqclust.assignment.Assignment;
import io.seqclust.assignment.AssignmentEngine;
import io.seqclust.assignment.ModelCatalog;
import io.seqclust.assignment.ServingState;
import io.seqclust.clustering.LoadedModel;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.kafka.KafkaClients;
import io.seqclust.kafka.TopicAdmin;
import io.seqclust.training.ControlPlane;
import io.seqclust.training.TrainingResult;
import io.seqclust.training.TrainingService;
import io.seqclust.training.TrainingWindow;
import io.seqclust.training.WindowConsumer;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.streams.KafkaStreams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The HTTP API: thin over the window, the trainer, the model catalog and the assignment engine. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ApiResource {

    private final SeqclustConfig config;
    private final KafkaClients clients;
    private final TopicAdmin topics;
    private final ServingState serving;
    private final ModelCatalog catalog;
    private final TrainingService training;
    private final TrainingWindow window;
    private final AssignmentEngine engine;

    public ApiResource(SeqclustConfig config, KafkaClients clients, TopicAdmin topics, ServingState serving,
                       ModelCatalog catalog, TrainingService training, WindowConsumer windowConsumer,
                       AssignmentEngine engine) {
        this.config = config;
        this.clients = clients;
        this.topics = topics;
        this.serving = serving;
        this.catalog = catalog;
        this.training = training;
        this.window = windowConsumer.window();
        this.engine = engine;
    }

    @GET
    @Path("/status")
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("broker", Map.of("bootstrapServers", clients.bootstrapServers(), "embedded", config.broker().embedded()));
        Object topicState;
        try {
            topicState = topics.existing();
        } catch (IllegalStateException e) {
            topicState = Map.of("error", e.getMessage());
        }
        out.put("topics", topicState);
        out.put("streams", serving.state().name());
        LoadedModel model = serving.served();
        out.put("model", model == null ? null : summary(model));
        out.put("window", Map.of("size", window.size(), "capacity", window.capacity(), "bytes", window.bytes(),
                "policy", window.policy().name(), "added", window.added()));
        out.put("roles", roles());
        Map<String, Object> t = trainingState();
        t.put("running", training.isRunning());
        t.put("last", training.lastResult());
        out.put("training", t);
        return out;
    }

    /** The served model and the last published ones; 503 with the Streams state while the topology is not running. */
    @GET
    @Path("/models")
    public Response models() {
        Optional<Response> down = topologyDown();
        if (down.isPresent()) {
            return down.get();
        }
        LoadedModel model = serving.served();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("served", model == null ? null : summary(model));
        out.put("published", catalog.history());
        out.put("lastRefusal", training.lastRefusal());
        return Response.ok(out).build();
    }

    /**
     * The trainer's control-plane state, the run going now (model, reason, epoch of epochs, loss by term,
     * ETA) and the last results, newest first.
     */
    @GET
    @Path("/training")
    public Map<String, Object> training() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("roles", roles());
        out.putAll(trainingState());
        out.put("recent", training.recentResults());
        return out;
    }

    /** The control plane's state and the run going now: what both {@code /api/status} and {@code /api/training} show. */
    private Map<String, Object> trainingState() {
        Map<String, Object> out = new LinkedHashMap<>();
        ControlPlane.Status control = training.control();
        out.put("state", config.trains() ? control.state().name() : "NOT_A_TRAINER");
        out.put("failures", control.failures());
        out.put("lastFailure", control.lastFailure());
        out.put("retryAt", control.retryAt() == null ? null : control.retryAt().toString());
        out.put("threads", training.threads());
        out.put("drift", training.driftScore());
        out.put("run", training.current().map(r -> r.view(java.time.Instant.now())).orElse(null));
        return out;
    }

    private List<String> roles() {
        return config.roles().stream().map(Enum::name).sorted().toList();
    }

    /** Cancels the running training run: 202 with the run (it stops at its next epoch, the served model stays); 409 if none. */
    @DELETE
    @AdminOnly
    @Path("/training")
    public Response cancelTraining() {
        if (!config.trains()) {
            return notATrainer();
        }
        return training.cancel()
                .map(r -> Response.accepted(Map.of("status", "cancelling", "run", r.view(java.time.Instant.now()))).build())
                .orElseGet(() -> Response.status(Response.Status.CONFLICT).entity(Map.of("error", "no training run is going")).build());
    }

    /**
     * Retrains on the current window. 202 with the run's state at once, or with {@code wait=true} the
     * result when it ends (200, or 500 if it failed), at most {@code timeout} seconds (default 600; then
     * 202: it goes on); 409 if a run is already going.
     */
    @POST
    @AdminOnly
    @Path("/training")
    public Response train(@QueryParam("wait") boolean wait, @QueryParam("timeout") @DefaultValue("600") long timeoutSeconds)
            throws InterruptedException {
        if (!config.trains()) {
            return notATrainer();
        }
        Optional<CompletableFuture<TrainingResult>> run = training.start("requested through the API");
        if (run.isEmpty()) {
            return Response.status(Response.Status.CONFLICT).entity(Map.of("error", "a training run is already in progress")).build();
        }
        if (!wait) {
            return Response.accepted(Map.of("status", "started", "model", config.model().name().id())).build();
        }
        try {
            TrainingResult result = run.get().get(Math.max(1, timeoutSeconds), TimeUnit.SECONDS);
            return Response.status(result.success() ? Response.Status.OK : Response.Status.INTERNAL_SERVER_ERROR)
                    .entity(result).build();
        } catch (ExecutionException e) {
            return Response.serverError().entity(Map.of("error", String.valueOf(e.getCause()))).build();
        } catch (TimeoutException e) {
            return Response.accepted(Map.of("status", "running", "model", config.model().name().id(),
                    "message", "still training after " + timeoutSeconds + " s; GET /api/status shows when it ends")).build();
        }
    }

    /**
     * Serves an earlier model again as a new version: {@code version} must be one of the last checkpoints this
     * trainer served. The result (200, or 422 with the reason); 409 if a run is going or this instance does
     * not train.
     */
    @POST
    @AdminOnly
    @Path("/models/rollback")
    public Response rollback(@QueryParam("version") long version) throws InterruptedException {
        if (!config.trains()) {
            return notATrainer();
        }
        Optional<CompletableFuture<TrainingResult>> run = training.rollback(version);
        if (run.isEmpty()) {
            return Response.status(Response.Status.CONFLICT).entity(Map.of("error", "a training run is in progress")).build();
        }
        try {
            TrainingResult result = run.get().get();
            return Response.status(result.success() ? 200 : 422).entity(result).build();
        } catch (ExecutionException e) {
            return Response.serverError().entity(Map.of("error", String.valueOf(e.getCause()))).build();
        }
    }

    /** Assigns one sequence now, with the model the stream serves, through the stream's own code path. */
    @POST
    @Path("/assign")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response assign(byte[] body) {
        Optional<Response> down = topologyDown();
        if (down.isPresent()) {
            return down.get();
        }
        LoadedModel model = serving.served();
        if (model == null) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .entity(Map.of("error", "no model is served yet", "streams", serving.state().name())).build();
        }
        try {
            Assignment a = engine.assign(engine.parse(body), model, System.currentTimeMillis());
            if (!a.finite()) {
                return Response.status(422).entity(Map.of("code", ErrorCode.MODEL_OUTPUT.name(), "message",
                        "model " + model.name() + " v" + model.version() + " gave a non-finite output for this sequence")).build();
            }
            return Response.ok(a).build();
        } catch (InvalidSequenceException e) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Map.of("code", e.code().name(), "message", e.getMessage())).build();
        }
    }

    /** 409: one trainer per deployment numbers the versions; the others must not publish. */
    private Response notATrainer() {
        return Response.status(Response.Status.CONFLICT).entity(Map.of("error", "this instance does not train (seqclust.roles="
                + String.join(",", roles()) + "): send this to the trainer")).build();
    }

    /**
     * 503 with the Kafka Streams state when the topology is neither running nor rebalancing (stopped, failed,
     * still starting): what it serves is then unknown, and the caller should retry, not read "no model".
     */
    private Optional<Response> topologyDown() {
        KafkaStreams.State state = serving.state();
        if (state.isRunningOrRebalancing()) {
            return Optional.empty();
        }
        return Optional.of(Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", "the assignment topology is not running", "streams", state.name())).build());
    }

    private static ModelCatalog.Summary summary(LoadedModel m) {
        return ModelCatalog.Summary.of(m.checkpoint());
    }
}
