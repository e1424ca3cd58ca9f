package io.seqclust.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqclust.assignment.AssignmentWriter;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/**
 * An Apicurio Registry through its v3 REST API: a subject is an artifact of the group, its compatibility an
 * artifact rule, a schema id a content id; a writer's schema that is one of the artifact's versions is readable,
 * any other is judged by a dry run of it as a new version of the artifact. Over the JDK's HTTP client with timeouts ({@link RegistryHttp}), not Apicurio's Java SDK: with the
 * SDK, a clean-clone CI run once left the training window's thread waiting on its first call for good, with
 * nothing logged.
 */
public final class ApicurioSchemaRegistry implements SchemaRegistry {

    private final RegistryHttp http;
    private final String group;

    public ApicurioSchemaRegistry(String url, String group) {
        this.http = new RegistryHttp(url, "application/json");
        this.group = group;
    }

    @Override
    public String url() {
        return http.url();
    }

    @Override
    public void register(String artifactId, String schema, String compatibility) {
        HttpResponse<String> created = http.send("POST", artifacts() + "?ifExists=FIND_OR_CREATE_VERSION",
                RegistryHttp.json(Map.of("artifactId", artifactId, "artifactType", "JSON", "firstVersion", version(schema))));
        if (created.statusCode() == 409) {
            throw new IllegalStateException("the registry at " + url() + " refuses " + artifactId + " as a new version of "
                    + "the artifact there: " + created.body());
        }
        http.expectOk(created, "registering " + artifactId);
        String rules = artifact(artifactId) + "/rules";
        Map<String, String> rule = Map.of("ruleType", "COMPATIBILITY", "config", compatibility);
        boolean present = RegistryHttp.read(http.expectOk(http.send("GET", rules, null), "reading the rules of " + artifactId)
                .body()).toString().contains("COMPATIBILITY");
        HttpResponse<String> set = present ? http.send("PUT", rules + "/COMPATIBILITY", RegistryHttp.json(rule))
                : http.send("POST", rules, RegistryHttp.json(rule));
        if (set.statusCode() != 200 && set.statusCode() != 204) {
            http.expectOk(set, "setting the compatibility rule of " + artifactId);
        }
    }

    @Override
    public Optional<String> differs(String artifactId, String schema) {
        HttpResponse<String> r = http.send("GET", artifact(artifactId) + "/versions/branch=latest/content", null);
        if (r.statusCode() == 404) {
            return Optional.of("no such artifact in group " + group);
        }
        http.expectOk(r, "reading " + artifactId);
        return RegistryHttp.read(r.body()).equals(RegistryHttp.read(schema)) ? Optional.empty()
                : Optional.of("its latest version is not this schema");
    }

    @Override
    public Verdict judge(String artifactId, long contentId) {
        HttpResponse<String> content = http.send("GET", "/ids/contentIds/" + contentId, null);
        if (content.statusCode() == 404) {
            return new Verdict(false, true, "the registry at " + url() + " holds no schema of content id " + contentId);
        }
        http.expectOk(content, "reading content " + contentId);
        JsonNode versions = RegistryHttp.read(http.expectOk(http.send("GET", artifact(artifactId) + "/versions?limit=1000", null),
                "listing the versions of " + artifactId).body()).path("versions");
        for (JsonNode v : versions) {
            if (v.path("contentId").asLong() == contentId) {
                return Verdict.ok();
            }
        }
        HttpResponse<String> dryRun = http.send("POST", artifact(artifactId) + "/versions?dryRun=true",
                RegistryHttp.json(version(content.body())));
        if (dryRun.statusCode() == 409) {
            JsonNode problem = RegistryHttp.read(dryRun.body());
            return new Verdict(false, false, "the writer's schema (content id " + contentId + ") is incompatible with "
                    + group + "/" + artifactId + ": " + problem.path("detail").asText(dryRun.body()));
        }
        http.expectOk(dryRun, "checking content " + contentId + " against " + artifactId);
        return Verdict.ok();
    }

    @Override
    public AssignmentWriter assignmentWriter() {
        return new FramedAssignmentWriter(artifactId -> RegistryHttp.read(http.expectOk(
                http.send("GET", artifact(artifactId) + "/versions/branch=latest", null), "reading " + artifactId).body())
                .path("contentId").asInt());
    }

    private String artifacts() {
        return "/groups/" + RegistryHttp.encode(group) + "/artifacts";
    }

    private String artifact(String artifactId) {
        return artifacts() + "/" + RegistryHttp.encode(artifactId);
    }

    private static Map<String, Object> version(String schema) {
        return Map.of("content", Map.of("content", schema, "contentType", "application/json"));
    }
}
