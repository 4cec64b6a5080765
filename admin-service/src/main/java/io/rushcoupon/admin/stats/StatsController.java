package io.rushcoupon.admin.stats;

import jakarta.validation.constraints.Positive;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Tag(name = "Stats")
class StatsController {

    private final CouponStatistics statistics;

    StatsController(CouponStatistics statistics) {
        this.statistics = statistics;
    }

    @GetMapping("/api/v1/admin/coupons/{id}/stats")
    @Operation(summary = "PostgreSQL and Redis figures of a coupon, and whether they agree (I5)")
    CouponStats stats(@PathVariable @Positive long id) {
        return statistics.of(id);
    }
}
