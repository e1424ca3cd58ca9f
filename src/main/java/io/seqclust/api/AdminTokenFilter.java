package io.seqclust.api;

import io.quarkus.runtime.StartupEvent;
import io.seqclust.config.SeqclustConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * {@link AdminOnly} endpoints need {@code Authorization: Bearer <seqclust.admin.token>} when a token is set:
 * 401 without one, 403 with a wrong one, each with a JSON body. The comparison takes the same time whatever
 * the token, so that it cannot be guessed byte by byte.
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(AdminTokenFilter.class);
    private static final String BEARER = "Bearer ";

    // resolved on first use: JAX-RS providers are built before the configuration mapping exists
    private final Instance<SeqclustConfig> config;
    private volatile Optional<byte[]> token;

    public AdminTokenFilter(Instance<SeqclustConfig> config) {
        this.config = config;
    }

    private Optional<byte[]> token() {
        if (token == null) {
            token = config.get().admin().token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
        }
        return token;
    }

    void sayWhetherOpen(@Observes StartupEvent event) {
        if (token().isEmpty()) {
            LOG.warn("seqclust.admin.token is not set: POST /api/training is open to whoever reaches the HTTP port");
        }
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<byte[]> token = token();
        if (token.isEmpty()) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            request.abortWith(refusal(Response.Status.UNAUTHORIZED,
                    "this call changes state: send Authorization: Bearer <seqclust.admin.token>"));
            return;
        }
        byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token.get())) {
            request.abortWith(refusal(Response.Status.FORBIDDEN, "the bearer token is not seqclust.admin.token"));
        }
    }

    private static Response refusal(Response.Status status, String message) {
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("error", message));
        if (status == Response.Status.UNAUTHORIZED) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"seqclust\"");
        }
        return r.build();
    }
}
