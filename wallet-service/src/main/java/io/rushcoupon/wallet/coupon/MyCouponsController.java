package io.rushcoupon.wallet.coupon;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.rushcoupon.common.coupon.IssuanceStatus;
import io.rushcoupon.web.page.PageLimits;
import io.rushcoupon.web.page.PageResponse;
import io.rushcoupon.web.security.UserIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The coupons in the caller's wallet; the caller is the token's sub. */
@RestController
@RequestMapping("/api/v1/me/coupons")
@Tag(name = "Wallet")
class MyCouponsController {

    private final WalletListing listing;

    MyCouponsController(WalletListing listing) {
        this.listing = listing;
    }

    @GetMapping
    @Operation(summary = "List my coupons, newest first",
            description = "The status is the one at the time of the answer: a coupon past its expiresAt is EXPIRED "
                    + "even before the expiry job marks it.")
    PageResponse<WalletCoupon> list(@AuthenticationPrincipal Jwt jwt,
            @Parameter(description = "only coupons with this status; all when absent")
            @RequestParam(required = false) @Nullable IssuanceStatus status,
            @RequestParam(defaultValue = "0") @PositiveOrZero @Max(PageLimits.MAX_PAGE) int page,
            @RequestParam(defaultValue = PageLimits.DEFAULT_SIZE) @Min(1) @Max(PageLimits.MAX_SIZE) int size) {
        return listing.page(UserIds.of(jwt), status, page, size);
    }

    @GetMapping("/{issuanceId}")
    @Operation(summary = "One of my coupons", description = "Another user's coupon answers 404 ISSUANCE_NOT_FOUND, "
            + "as an unknown one does.")
    WalletCoupon one(@AuthenticationPrincipal Jwt jwt, @PathVariable @Positive long issuanceId) {
        return listing.one(UserIds.of(jwt), issuanceId);
    }
}
