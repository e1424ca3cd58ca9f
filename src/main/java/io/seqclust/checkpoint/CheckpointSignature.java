package io.seqclust.checkpoint;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * HMAC-SHA256 of a checkpoint's bytes under {@code seqclust.models.signing-key}, carried in the
 * {@value #HEADER} header of its record on the models topic: with a key set, a checkpoint without a valid
 * signature is never served, so that write access to the topic alone cannot install a model.
 */
public final class CheckpointSignature {

    public static final String HEADER = "seqclust.signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] key;

    /** @param key the shared secret; at least 16 characters (checked by the configuration) */
    public CheckpointSignature(String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** Hex HMAC-SHA256 of {@code bytes}. */
    public String sign(byte[] bytes) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return HexFormat.of().formatHex(mac.doFinal(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM, e);
        }
    }

    /**
     * @param signature the header's value, if the record had one
     * @return why the checkpoint must not be served, if it must not
     */
    public Optional<String> refusal(byte[] bytes, byte[] signature) {
        if (signature == null) {
            return Optional.of("unsigned, and seqclust.models.signing-key is set");
        }
        byte[] expected = sign(bytes).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature) ? Optional.empty()
                : Optional.of("its signature does not match seqclust.models.signing-key: tampered, or signed with another key");
    }
}
