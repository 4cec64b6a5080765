package io.rushcoupon.wallet.config;

import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doThrow;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.transaction.CannotCreateTransactionException;

import io.rushcoupon.wallet.WalletIntegrationTest;
import io.rushcoupon.wallet.coupon.Issuances;

class DatabaseBusyAdviceIntegrationTest extends WalletIntegrationTest {

    /** The real repository, made to fail as it does when no pooled connection is free in time. */
    @MockitoSpyBean
    Issuances issuances;

    @Test
    void answersUnavailableWithRetryAfterWhenNoDatabaseConnectionIsFree() throws Exception {
        doThrow(new CannotCreateTransactionException("Could not open JPA EntityManager for transaction"))
                .when(issuances).findByIdAndUserId(anyLong(), anyLong());

        mvc.perform(as(1, get(ME + "/coupons/{id}", 7)))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().exists("Retry-After"))
                .andExpect(jsonPath("$.code").value("UNAVAILABLE"));
    }
}
