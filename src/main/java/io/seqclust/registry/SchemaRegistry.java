package io.seqclust.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.client.RegistryClientFactory;
import io.apicurio.registry.client.common.RegistryClientOptions;
import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.client.models.CreateArtifact;
import io.apicurio.registry.rest.client.models.CreateRule;
import io.apicurio.registry.rest.client.models.CreateVersion;
import io.apicurio.registry.rest.client.models.IfArtifactExists;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import io.apicurio.registry.rest.client.models.Rule;
import io.apicurio.registry.rest.client.models.RuleType;
import io.apicurio.registry.rest.client.models.RuleViolationProblemDetails;
import io.apicurio.registry.rest.client.models.VersionContent;
import io.seqclust.ingest.RegistryUnavailableException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * seqclust's questions to an Apicurio Registry (its v3 REST API, through Apicurio's Java SDK): register a schema of
 * {@code schemas/} under an artifact with a compatibility rule, check that one is there, and judge a writer's
 * schema by its content id — the registry's own compatibility check decides, in a dry run.
 */
public final class SchemaRegistry {

    /** A writer's schema, judged: readable, or why not (unknown is set when the registry holds no such content). */
    public record Verdict(boolean readable, boolean unknown, String reason) {
        static final Verdict READABLE = new Verdict(true, false, null);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient client;
    private final String url;
    private final String group;

    public SchemaRegistry(String url, String group) {
        this.client = RegistryClientFactory.create(RegistryClientOptions.create(url));
        this.url = url;
        this.group = group;
    }

    public String url() {
        return url;
    }

    public String group() {
        return group;
    }

    /** The schema as a version of the artifact (a new version only if its content differs), under the rule. */
    public void register(String artifactId, String schema, String compatibility) {
        CreateArtifact artifact = new CreateArtifact();
        artifact.setArtifactId(artifactId);
        artifact.setArtifactType("JSON");
        artifact.setFirstVersion(version(schema));
        try {
            client.groups().byGroupId(group).artifacts().post(artifact,
                    c -> c.queryParameters.ifExists = IfArtifactExists.FIND_OR_CREATE_VERSION);
            var rules = client.groups().byGroupId(group).artifacts().byArtifactId(artifactId).rules();
            if (rules.get().contains(RuleType.COMPATIBILITY)) {
                Rule rule = new Rule();
                rule.setRuleType(RuleType.COMPATIBILITY);
                rule.setConfig(compatibility);
                rules.byRuleType(RuleType.COMPATIBILITY.getValue()).put(rule);
            } else {
                CreateRule rule = new CreateRule();
                rule.setRuleType(RuleType.COMPATIBILITY);
                rule.setConfig(compatibility);
                rules.post(rule);
            }
        } catch (RuleViolationProblemDetails e) {
            throw new IllegalStateException("the registry at " + url + " refuses " + artifactId + " as a new version of "
                    + "the artifact there: " + e.getDetail(), e);
        } catch (ProblemDetails e) {
            throw new IllegalStateException("the registry at " + url + " refused " + artifactId + ": " + e.getStatus() + " "
                    + e.getTitle() + " " + Optional.ofNullable(e.getDetail()).orElse(""), e);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /** @return why the artifact's latest version is not this schema, or empty when it is */
    public Optional<String> differs(String artifactId, String schema) {
        try (InputStream in = client.groups().byGroupId(group).artifacts().byArtifactId(artifactId).versions()
                .byVersionExpression("branch=latest").content().get()) {
            JsonNode latest = JSON.readTree(in);
            return latest.equals(JSON.readTree(schema)) ? Optional.empty()
                    : Optional.of("its latest version is not this schema");
        } catch (ProblemDetails e) {
            return Optional.of(e.getStatus() == 404 ? "no such artifact" : e.getStatus() + " " + e.getTitle());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /**
     * Whether data written with the schema of {@code contentId} can be read as the artifact's latest version: the
     * registry checks the schema as a new version of the artifact under the artifact's rules, without adding it.
     */
    public Verdict judge(String artifactId, long contentId) {
        String schema;
        try (InputStream in = client.ids().contentIds().byContentId(contentId).get()) {
            schema = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (ProblemDetails e) {
            if (e.getStatus() == 404) {
                return new Verdict(false, true, "the registry at " + url + " holds no schema of content id " + contentId);
            }
            throw unavailable(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        try {
            client.groups().byGroupId(group).artifacts().byArtifactId(artifactId).versions()
                    .post(version(schema), c -> c.queryParameters.dryRun = true);
            return Verdict.READABLE;
        } catch (RuleViolationProblemDetails e) {
            return new Verdict(false, false, "the writer's schema (content id " + contentId + ") is incompatible with "
                    + group + "/" + artifactId + ": " + e.getDetail());
        } catch (ProblemDetails e) {
            throw unavailable(e);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    private static CreateVersion version(String schema) {
        VersionContent content = new VersionContent();
        content.setContent(schema);
        content.setContentType("application/json");
        CreateVersion v = new CreateVersion();
        v.setContent(content);
        return v;
    }

    private RegistryUnavailableException unavailable(Exception e) {
        String what = e instanceof ProblemDetails p ? p.getStatus() + " " + p.getTitle() : e.toString();
        return new RegistryUnavailableException("the schema registry at " + url + " could not answer: " + what, e);
    }
}
