package io.rushcoupon.admin.coupon;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rushcoupon.admin.AdminIntegrationTest;
import io.rushcoupon.common.coupon.CouponStatus;

class CouponQueryIntegrationTest extends AdminIntegrationTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void answersOneCouponWithDerivedStatusAndETag() throws Exception {
        long id = createOpenCoupon("ONE");
        issue(id, 7, id + "-00000000-0000-0000-0000-000000000007", NOW);

        mvc.perform(asAdmin(get(COUPONS + "/" + id)))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"1\""))
                .andExpect(jsonPath("$.id").value(id))
                .andExpect(jsonPath("$.status").value("OPEN"))
                .andExpect(jsonPath("$.state").value("ACTIVE"))
                .andExpect(jsonPath("$.version").value(1))
                .andExpect(jsonPath("$.totalQuantity").value(100))
                .andExpect(jsonPath("$.remainingQuantity").value(99))
                .andExpect(jsonPath("$.issuedQuantity").value(1))
                .andExpect(jsonPath("$.validDays").value(30))
                .andExpect(jsonPath("$.createdAt").exists())
                .andExpect(jsonPath("$.updatedAt").exists());
    }

    @Test
    void answersNotFoundForUnknownCoupon() throws Exception {
        mvc.perform(asAdmin(get(COUPONS + "/999")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("COUPON_NOT_FOUND"));
    }

    @Test
    void refusesNonNumericAndNonPositiveIds() throws Exception {
        mvc.perform(asAdmin(get(COUPONS + "/abc")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[0].field").value("id"));
        mvc.perform(asAdmin(get(COUPONS + "/0")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[0].field").value("id"));
        mvc.perform(asAdmin(post(COUPONS + "/-3/pause")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"));
    }

    @Test
    void listsNewestFirstInStablePages() throws Exception {
        long first = createOpenCoupon("FIRST");
        long second = createOpenCoupon("SECOND");
        long third = createOpenCoupon("THIRD");

        mvc.perform(asAdmin(get(COUPONS).param("size", "2")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content[*].id", contains((int) third, (int) second)))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(2))
                .andExpect(jsonPath("$.totalElements").value(3))
                .andExpect(jsonPath("$.totalPages").value(2))
                .andExpect(jsonPath("$.pageable").doesNotExist());
        mvc.perform(asAdmin(get(COUPONS).param("size", "2").param("page", "1")))
                .andExpect(jsonPath("$.content[*].id", contains((int) first)));
    }

    @Test
    void refusesPageSizeAboveHundredAndNegativePage() throws Exception {
        mvc.perform(asAdmin(get(COUPONS).param("size", "101")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[0].field").value("size"));
        mvc.perform(asAdmin(get(COUPONS).param("page", "-1")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("page"));
        mvc.perform(asAdmin(get(COUPONS).param("status", "HALF_OPEN")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("status"));
    }

    @Test
    void filtersByDerivedStatusInTheDatabase() throws Exception {
        long scheduled = createCoupon("SCHEDULED", 10, NOW.plus(DAY), NOW.plus(DAY.multipliedBy(2)));
        long open = createCoupon("OPEN", 10, NOW.minus(DAY), NOW.plus(DAY));
        long paused = createCoupon("PAUSED", 10, NOW.minus(DAY), NOW.plus(DAY));
        mvc.perform(asAdmin(post(COUPONS + "/" + paused + "/pause"))).andExpect(status().isOk());
        long closedByAdmin = createCoupon("CLOSED-ADMIN", 10, NOW.minus(DAY), NOW.plus(DAY));
        mvc.perform(asAdmin(post(COUPONS + "/" + closedByAdmin + "/close"))).andExpect(status().isOk());
        long windowOver = createCoupon("WINDOW-OVER", 10, NOW.minus(DAY.multipliedBy(2)), NOW.minus(DAY));
        long soldOut = createCoupon("SOLD-OUT", 10, NOW.minus(DAY), NOW.plus(DAY));
        long pausedAndSoldOut = createCoupon("PAUSED-SOLD-OUT", 10, NOW.minus(DAY), NOW.plus(DAY));
        mvc.perform(asAdmin(post(COUPONS + "/" + pausedAndSoldOut + "/pause"))).andExpect(status().isOk());
        jdbc.sql("UPDATE coupon SET remaining_quantity = 0, version = version + 1 WHERE id IN (?, ?)")
                .params(soldOut, pausedAndSoldOut).update();
        long pausedWindowOver = createCoupon("PAUSED-OVER", 10, NOW.minus(DAY.multipliedBy(2)), NOW.minus(DAY));
        mvc.perform(asAdmin(post(COUPONS + "/" + pausedWindowOver + "/pause"))).andExpect(status().isOk());

        Map<CouponStatus, long[]> expected = Map.of(
                CouponStatus.SCHEDULED, new long[] {scheduled},
                CouponStatus.OPEN, new long[] {open},
                CouponStatus.PAUSED, new long[] {paused},
                CouponStatus.CLOSED, new long[] {closedByAdmin, windowOver, pausedWindowOver},
                CouponStatus.SOLD_OUT, new long[] {soldOut, pausedAndSoldOut});
        for (var entry : expected.entrySet()) {
            Integer[] ids = java.util.Arrays.stream(entry.getValue()).mapToObj(id -> (int) id).toArray(Integer[]::new);
            mvc.perform(asAdmin(get(COUPONS).param("status", entry.getKey().name())))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.totalElements").value(ids.length))
                    .andExpect(jsonPath("$.content[*].id", containsInAnyOrder(ids)))
                    .andExpect(jsonPath("$.content[*].status", everyItem(is(entry.getKey().name()))));
        }
        mvc.perform(asAdmin(get(COUPONS))).andExpect(jsonPath("$.totalElements").value(8));
    }
}
