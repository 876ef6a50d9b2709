package io.ved.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/** The unique id of one message (CloudEvents {@code id}). */
public record MessageId(String value) {
    public MessageId {
        Objects.requireNonNull(value, "message id");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a message id must not be blank");
        }
    }

    public static MessageId random() {
        return new MessageId(UUID.randomUUID().toString());
    }

    /**
     * An id derived only from its parts, so that replaying the same input assigns the same ids
     * (a name-based UUID, RFC 4122 version 3).
     */
    public static MessageId derivedFrom(String... parts) {
        // What UUID.nameUUIDFromBytes(String.join("\u001f", parts) as UTF-8) does, fed to the digest part by part
        // (no joined copy), with the MessageDigest kept per thread instead of looked up on every call.
        java.security.MessageDigest digest = MD5.get();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                digest.update(SEPARATOR);
            }
            digest.update(parts[i].getBytes(StandardCharsets.UTF_8));
        }
        byte[] md5 = digest.digest();
        md5[6] &= 0x0f;
        md5[6] |= 0x30;
        md5[8] &= 0x3f;
        md5[8] |= (byte) 0x80;
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (md5[i] & 0xff);
        }
        for (int i = 8; i < 16; i++) {
            lsb = (lsb << 8) | (md5[i] & 0xff);
        }
        return new MessageId(new UUID(msb, lsb).toString());
    }

    private static final byte SEPARATOR = 0x1f;

    private static final ThreadLocal<java.security.MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new InternalError("MD5 not supported", e);
        }
    });

    @Override
    public String toString() {
        return value;
    }
}
