package io.seqclust.assignment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One sequence's cluster, as {@code schemas/assignment.schema.json} describes it. */
public record Assignment(String id, String source, int cluster, double[] probabilities, double confidence,
                         String model, long modelVersion, long timestamp) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether every probability and the confidence are finite, as the assignment schema requires. */
    public boolean finite() {
        if (!Double.isFinite(confidence)) {
            return false;
        }
        for (double p : probabilities) {
            if (!Double.isFinite(p)) {
                return false;
            }
        }
        return true;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an assignment must always serialise", e);
        }
    }

    public static Assignment fromJson(byte[] bytes) {
        try {
            return JSON.readValue(bytes, Assignment.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not an assignment: " + e.getMessage(), e);
        }
    }
}
