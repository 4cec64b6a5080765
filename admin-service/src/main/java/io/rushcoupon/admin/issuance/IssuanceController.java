package io.rushcoupon.admin.issuance;

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

/** Who was issued a coupon, in issue order. */
@RestController
@RequestMapping("/api/v1/admin/coupons/{id}/issuances")
@Tag(name = "Issuances")
class IssuanceController {

    private final IssuanceListing listing;

    IssuanceController(IssuanceListing listing) {
        this.listing = listing;
    }

    @GetMapping
    @Operation(summary = "List the issuance rows of a coupon, in issue order")
    PageResponse<Issuance> list(@PathVariable @Positive long id,
            @RequestParam(defaultValue = "0") @PositiveOrZero @Max(PageLimits.MAX_PAGE) int page,
            @RequestParam(defaultValue = PageLimits.DEFAULT_SIZE) @Min(1) @Max(PageLimits.MAX_SIZE) int size) {
        return listing.page(id, page, size);
    }
}
