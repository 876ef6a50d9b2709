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
        String joined = String.join("\u001f", parts);
        // What UUID.nameUUIDFromBytes does, without looking the MD5 provider up on every call.
        byte[] md5 = MD5.get().digest(joined.getBytes(StandardCharsets.UTF_8));
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
