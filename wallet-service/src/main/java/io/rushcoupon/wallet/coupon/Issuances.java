package io.rushcoupon.wallet.coupon;

import java.util.Optional;

import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The issuance rows of the users' wallets. Every lookup is scoped to the user: another user's
 * coupon is as unknown as one that does not exist.
 */
public interface Issuances extends JpaRepository<Issuance, Long> {

    @EntityGraph(attributePaths = "coupon")
    Optional<Issuance> findByIdAndUserId(long id, long userId);
}
