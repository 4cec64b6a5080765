package io.rushcoupon.wallet.idempotency;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.rushcoupon.wallet.config.WalletProperties;

/**
 * Runs a user's request under its {@code Idempotency-Key}: the first request claims the key in a
 * committed transaction of its own (so a second one sees it at once instead of waiting), then does
 * its work and stores the answer in one transaction; a repeat with the same fingerprint gets the
 * stored answer, one with another fingerprint is refused, one while the first runs is told to come
 * back.
 */
@Component
public class IdempotentRequests {

    private static final Logger log = LoggerFactory.getLogger(IdempotentRequests.class);
    /** A claim lost to a takeover is decided again; the key then holds the other request's fate. */
    private static final int ATTEMPTS = 2;

    private final IdempotencyKeys keys;
    private final TransactionTemplate work;
    private final TransactionTemplate own;
    private final WalletProperties.Idempotency settings;

    IdempotentRequests(IdempotencyKeys keys, PlatformTransactionManager transactions, WalletProperties properties) {
        this.keys = keys;
        this.work = new TransactionTemplate(transactions);
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.settings = properties.idempotency();
    }

    /**
     * @param work runs in the transaction that stores its answer: it must write nothing outside it. An
     *             exception it throws rolls everything back and gives up the key (a retry may run at once).
     */
    public IdempotentOutcome execute(long userId, String key, String fingerprint, Supplier<StoredAnswer> work) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            IdempotencyKeys.Claim claim = own.execute(status -> keys.claim(userId, key, fingerprint));
            if (claim instanceof IdempotencyKeys.Claim.Decided(IdempotentOutcome outcome)) {
                return outcome;
            }
            var taken = (IdempotencyKeys.Claim.Taken) claim;
            try {
                StoredAnswer answer = this.work.execute(status -> {
                    StoredAnswer done = work.get();
                    if (!keys.complete(userId, key, taken.leaseUntil(), done)) {
                        throw new ClaimLost();
                    }
                    return done;
                });
                return new IdempotentOutcome.Answered(answer, false);
            } catch (ClaimLost lost) {
                log.info("Idempotency key of user {} was taken over past its lease; deciding again", userId);
            } catch (RuntimeException | Error failure) {
                release(userId, key, taken, failure);
                throw failure;
            }
        }
        return new IdempotentOutcome.InProgress(settings.lease());
    }

    private void release(long userId, String key, IdempotencyKeys.Claim.Taken taken, Throwable failure) {
        try {
            own.executeWithoutResult(status -> keys.release(userId, key, taken.leaseUntil()));
        } catch (RuntimeException releaseFailure) {
            // best effort: the lease frees the key anyway
            failure.addSuppressed(releaseFailure);
        }
    }

    /** The key was taken over (this request outlived its lease): its work must not take effect. */
    private static final class ClaimLost extends RuntimeException {

        ClaimLost() {
            super("idempotency key taken over", null, false, false);
        }
    }
}
