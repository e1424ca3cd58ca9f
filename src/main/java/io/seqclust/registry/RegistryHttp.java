package io.seqclust.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqclust.ingest.RegistryUnavailableException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A registry's REST API over the JDK's HTTP client, every call bounded by a timeout: a registry that does not
 * answer is {@link RegistryUnavailableException} after 10 s, never a thread stuck for good.
 */
final class RegistryHttp {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String url;
    private final String mediaType;

    /** @param url the API's root; @param mediaType what the API reads and writes */
    RegistryHttp(String url, String mediaType) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.mediaType = mediaType;
    }

    String url() {
        return url;
    }

    /** @param body JSON, or null for none */
    HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT)
                .header("accept", mediaType)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", mediaType);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryUnavailableException("the schema registry at " + url + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while asking the schema registry at " + url, e);
        }
    }

    HttpResponse<String> expectOk(HttpResponse<String> r, String what) {
        if (r.statusCode() != 200) {
            throw new RegistryUnavailableException("the schema registry at " + url + " answered " + r.statusCode() + " to "
                    + what + ": " + r.body(), null);
        }
        return r;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new RegistryUnavailableException("the schema registry's answer is not JSON: " + text, e);
        }
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8);
    }
}
