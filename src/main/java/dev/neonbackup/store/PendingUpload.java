package dev.neonbackup.store;

import java.time.Instant;

/** An unfinished upload another run (or this one) started; {@code initiated} by the store's clock. */
public record PendingUpload(String id, Instant initiated) {}
