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
import io.seqclust.assignment.AssignmentWriter;
import io.seqclust.ingest.RegistryUnavailableException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * An Apicurio Registry through its v3 REST API and Apicurio's Java SDK: a subject is an artifact of the group, its
 * compatibility an artifact rule, a schema id a content id, and a writer's schema is judged by a dry run of it
 * as a new version of the artifact.
 */
public final class ApicurioSchemaRegistry implements SchemaRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient client;
    private final String url;
    private final String group;

    public ApicurioSchemaRegistry(String url, String group) {
        this.client = RegistryClientFactory.create(RegistryClientOptions.create(url));
        this.url = url;
        this.group = group;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public AssignmentWriter assignmentWriter() {
        return new RegistryAssignmentWriter(url, group);
    }

    String group() {
        return group;
    }

    @Override
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

    @Override
    public Optional<String> differs(String artifactId, String schema) {
        try (InputStream in = client.groups().byGroupId(group).artifacts().byArtifactId(artifactId).versions()
                .byVersionExpression("branch=latest").content().get()) {
            JsonNode latest = JSON.readTree(in);
            return latest.equals(JSON.readTree(schema)) ? Optional.empty()
                    : Optional.of("its latest version is not this schema");
        } catch (ProblemDetails e) {
            return Optional.of(e.getStatus() == 404 ? "no such artifact in group " + group : e.getStatus() + " " + e.getTitle());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    @Override
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
            return Verdict.ok();
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
