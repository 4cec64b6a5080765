package io.rushcoupon.admin.redemption;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.rushcoupon.web.page.PageLimits;
import io.rushcoupon.web.page.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** How a coupon was redeemed, redemption by redemption. */
@RestController
@RequestMapping("/api/v1/admin/coupons/{id}/redemptions")
@Tag(name = "Redemptions")
class RedemptionController {

    private final RedemptionListing listing;

    RedemptionController(RedemptionListing listing) {
        this.listing = listing;
    }

    @GetMapping
    @Operation(summary = "List the redemptions of a coupon, oldest first (in id order)",
            description = "Standing (REDEEMED) and cancelled (CANCELLED) ones alike; oldest first, so pages "
                    + "stay put while the wallet adds redemptions. 404 COUPON_NOT_FOUND for an unknown coupon.")
    PageResponse<Redemption> list(@PathVariable @Positive long id,
            @RequestParam(defaultValue = "0") @PositiveOrZero @Max(PageLimits.MAX_PAGE) int page,
            @RequestParam(defaultValue = PageLimits.DEFAULT_SIZE) @Min(1) @Max(PageLimits.MAX_SIZE) int size) {
        return listing.page(id, page, size);
    }
}
