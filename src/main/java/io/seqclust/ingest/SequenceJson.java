package io.seqclust.ingest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A sequence as the JSON the sequences topic carries (sequence.schema.json): what the audio front end and the demo write. */
public final class SequenceJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private SequenceJson() {
    }

    /** Values as float32 (shortest form that reads back to the same float): half the bytes of doubles. */
    public static byte[] write(Sequence s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + s.steps() * s.dims() * 10);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("id", s.id());
            if (s.source() != null) {
                g.writeStringField("source", s.source());
            }
            if (s.timestamp() != null) {
                g.writeNumberField("timestamp", s.timestamp());
            }
            g.writeArrayFieldStart("values");
            for (double[] row : s.values()) {
                g.writeStartArray();
                for (double v : row) {
                    g.writeNumber((float) v);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
