package io.rushcoupon.admin.config;

import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Several reads from one database snapshot (read-only, repeatable read), so figures read one
 * after the other, the stock and the issued users say, describe the same moment even while the
 * worker commits.
 */
@Component
public class ReadSnapshot {

    private final TransactionTemplate snapshot;

    ReadSnapshot(PlatformTransactionManager transactionManager) {
        this.snapshot = new TransactionTemplate(transactionManager);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    public <T> T read(Supplier<T> reads) {
        return snapshot.execute(status -> reads.get());
    }
}
