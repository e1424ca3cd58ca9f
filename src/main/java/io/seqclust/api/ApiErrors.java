package io.seqclust.api;

import io.seqclust.assignment.ServingState;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * An unexpected error in an API call is answered with a JSON body and never a stack trace: 503 with the
 * Streams state while the topology is not running (the likely cause, and a reason to retry), else 500.
 */
public class ApiErrors {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    private final ServingState serving;

    public ApiErrors(ServingState serving) {
        this.serving = serving;
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof WebApplicationException w) {
            return w.getResponse();
        }
        String state = serving.state().name();
        LOG.errorf(e, "API call failed (Kafka Streams %s)", state);
        boolean running = serving.state().isRunningOrRebalancing();
        return Response.status(running ? Response.Status.INTERNAL_SERVER_ERROR : Response.Status.SERVICE_UNAVAILABLE)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", running ? "internal error: " + e.getClass().getSimpleName()
                        : "the assignment topology is not running", "streams", state))
                .build();
    }
}
