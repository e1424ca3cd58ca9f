package io.seqclust.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InputLimits;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.Sequence;
import io.seqclust.ingest.StrictJson;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An audio record → its {@link Sequence}, or the reason it is not one. The key is the sequence id; the value is
 * a WAV file (16-bit PCM, mono) or a JSON audio object ({@code schemas/audio.schema.json}: base64 samples or a
 * base64 WAV file). The clip must be within the allowed rates and length; its log-mel features
 * ({@link AudioFeatures}) are the sequence. Thread-safe.
 */
public final class AudioParser {

    static final String SCHEMA_RESOURCE = "schemas/audio.schema.json";
    private static final JsonSchema SCHEMA = StrictJson.schema(SCHEMA_RESOURCE);

    private final InputLimits limits;
    private final AudioFeatures features;
    private final StrictJson json;

    public AudioParser(InputLimits limits, AudioSettings settings) {
        this.limits = limits;
        this.features = new AudioFeatures(settings);
        this.json = new StrictJson(limits);
    }

    public Sequence parse(byte[] key, byte[] value) throws InvalidSequenceException {
        limits.checkSize(key, value);
        String id = id(key);
        if (value == null || value.length == 0) {
            throw new InvalidSequenceException(ErrorCode.EMPTY, "empty record: expected a WAV file or a JSON audio object");
        }
        Sequence clip;
        if (Wav.looksLikeWav(value)) {
            clip = sequence(id, null, null, Wav.decode(value));
        } else if (startsLikeJson(value)) {
            clip = fromJson(id, value);
        } else {
            throw new InvalidSequenceException(ErrorCode.NOT_AUDIO,
                    "neither a WAV file (RIFF header) nor a JSON audio object (audio.schema.json)");
        }
        if (clip.steps() > limits.steps()) {
            throw new InvalidSequenceException(ErrorCode.TOO_LONG, "the clip gives " + clip.steps()
                    + " frames, more than seqclust.limits.steps = " + limits.steps());
        }
        return clip;
    }

    private String id(byte[] key) throws InvalidSequenceException {
        if (key == null || key.length == 0) {
            throw new InvalidSequenceException(ErrorCode.SCHEMA, "an audio record's key is its sequence id; this one has none");
        }
        String id;
        try {
            id = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidSequenceException(ErrorCode.SCHEMA, "an audio record's key (its sequence id) must be UTF-8 text");
        }
        limits.checkLength("id (the key)", id);
        return id;
    }

    private Sequence fromJson(String id, byte[] value) throws InvalidSequenceException {
        JsonNode node = json.read(value, "a WAV file or a JSON audio object");
        StrictJson.validate(SCHEMA, node, "audio.schema.json");
        byte[] data;
        try {
            data = Base64.getDecoder().decode(node.get("data").asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidSequenceException(ErrorCode.SCHEMA, "data is not base64: " + e.getMessage());
        }
        JsonNode rate = node.get("sampleRate");
        Pcm pcm;
        if ("wav".equals(node.get("encoding").asText())) {
            pcm = Wav.decode(data);
            if (rate != null && rate.asInt() != pcm.sampleRate()) {
                throw new InvalidSequenceException(ErrorCode.SCHEMA, "sampleRate " + rate.asInt()
                        + " differs from the WAV file's rate " + pcm.sampleRate());
            }
        } else {
            if (data.length % 2 != 0) {
                throw new InvalidSequenceException(ErrorCode.TRUNCATED,
                        "pcm_s16le data of " + data.length + " bytes: an odd count cannot be 16-bit samples");
            }
            pcm = new Pcm(Pcm.fromS16le(data, 0, data.length), rate.asInt());
        }
        JsonNode source = node.get("source");
        String sourceText = source == null || source.isNull() ? null : source.asText();
        limits.checkLength("source", sourceText);
        JsonNode timestamp = node.get("timestamp");
        if (timestamp != null && !timestamp.isNull() && !timestamp.canConvertToLong()) {
            throw new InvalidSequenceException(ErrorCode.OUT_OF_RANGE, "timestamp is beyond a 64-bit integer of epoch milliseconds");
        }
        return sequence(id, sourceText, timestamp == null || timestamp.isNull() ? null : timestamp.asLong(), pcm);
    }

    private Sequence sequence(String id, String source, Long timestamp, Pcm pcm) throws InvalidSequenceException {
        AudioSettings s = features.settings();
        if (pcm.sampleRate() < s.minRate() || pcm.sampleRate() > s.maxRate()) {
            throw new InvalidSequenceException(ErrorCode.AUDIO_RATE, "sample rate " + pcm.sampleRate()
                    + " Hz is outside seqclust.audio.min-rate .. max-rate = " + s.minRate() + " .. " + s.maxRate());
        }
        if (pcm.seconds() > s.maxSeconds()) {
            throw new InvalidSequenceException(ErrorCode.TOO_LONG, String.format(
                    "the clip lasts %.2f s, more than seqclust.audio.max-seconds = %s", pcm.seconds(), s.maxSeconds()));
        }
        return new Sequence(id, source, timestamp, features.of(pcm));
    }

    private static boolean startsLikeJson(byte[] value) {
        for (byte b : value) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }
}
