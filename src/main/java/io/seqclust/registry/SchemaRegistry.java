package io.seqclust.registry;

import io.seqclust.assignment.AssignmentWriter;

import java.util.Optional;

/**
 * seqclust's questions to a schema registry, about the subjects {@code <topic>-value} of its topics: register a
 * schema of {@code schemas/} with a compatibility level, check that one is there, judge a writer's schema by its id
 * (the registry's own compatibility check decides), and frame assignments. Two APIs answer them: Apicurio's v3
 * ({@link ApicurioSchemaRegistry}) and Confluent's ({@link ConfluentSchemaRegistry}).
 */
public interface SchemaRegistry {

    /** A writer's schema, judged: readable, or why not ({@code unknown} when the registry holds no schema of that id). */
    record Verdict(boolean readable, boolean unknown, String reason) {
        static Verdict ok() {
            return new Verdict(true, false, null);
        }
    }

    String url();

    /** The schema as a version of the subject (a new version only if it differs from those there), at this compatibility level. */
    void register(String subject, String schema, String compatibility);

    /** @return why the subject's latest version is not this schema, or empty when it is */
    Optional<String> differs(String subject, String schema);

    /**
     * Whether data written with the schema of this id can be read: yes when it is one of the subject's versions
     * (each admitted under the subject's rule), else as the registry's compatibility check against the subject's
     * latest version says. Not against the latest alone: once a producer registers a newer version, records still
     * written with an older one stay readable.
     */
    Verdict judge(String subject, long schemaId);

    /** Assignments framed with the id of the assignments topic's schema. */
    AssignmentWriter assignmentWriter();
}
