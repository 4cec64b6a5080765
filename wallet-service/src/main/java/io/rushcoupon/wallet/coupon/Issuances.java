package io.rushcoupon.wallet.coupon;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import io.rushcoupon.common.coupon.IssuanceStatus;

/**
 * The issuance rows of the users' wallets. Every lookup is scoped to the user: another user's
 * coupon is as unknown as one that does not exist.
 */
public interface Issuances extends JpaRepository<Issuance, Long> {

    @EntityGraph(attributePaths = "coupon")
    Optional<Issuance> findByIdAndUserId(long id, long userId);

    /**
     * A page of a user's coupons whose status at {@code now} is {@code status} (any when null), newest
     * first, with their coupons' terms. The status is derived in the query, not after it, so the
     * counts of the page agree with its rows.
     */
    default Page<Issuance> page(long userId, @Nullable IssuanceStatus status, Instant now, int page, int size) {
        return page(userId, status == null || status == IssuanceStatus.AVAILABLE,
                status == null || status == IssuanceStatus.REDEEMED, status == null || status == IssuanceStatus.EXPIRED,
                now, PageRequest.of(page, size));
    }

    /** Follows coupon_issuance_user_idx (user_id, issued_at DESC, id DESC); the status is a filter on it. */
    @Query(value = """
            SELECT i FROM Issuance i JOIN FETCH i.coupon
            WHERE i.userId = :userId AND (""" + DERIVED_STATUS_IS_WANTED + """
            ) ORDER BY i.issuedAt DESC, i.id DESC""",
            countQuery = "SELECT count(i) FROM Issuance i WHERE i.userId = :userId AND (" + DERIVED_STATUS_IS_WANTED + ")")
    Page<Issuance> page(@Param("userId") long userId, @Param("available") boolean available,
            @Param("redeemed") boolean redeemed, @Param("expired") boolean expired, @Param("now") Instant now,
            PageRequest pageRequest);

    /** {@link IssuanceStatus#at} in JPQL: a row stored AVAILABLE is EXPIRED from its expiresAt on. */
    String DERIVED_STATUS_IS_WANTED = """
            (:available = true AND i.status = AVAILABLE AND i.expiresAt > :now)
             OR (:redeemed = true AND i.status = REDEEMED)
             OR (:expired = true AND (i.status = EXPIRED OR (i.status = AVAILABLE AND i.expiresAt <= :now)))""";
}
