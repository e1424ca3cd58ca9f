package io.seqclust.assignment;

/** An assignment's bytes on the assignments topic: plain JSON, or framed by a schema registry's serializer. */
@FunctionalInterface
public interface AssignmentWriter {

    AssignmentWriter JSON = (topic, assignment) -> assignment.toJson();

    byte[] write(String topic, Assignment assignment);
}
