package io.rushcoupon.wallet.redemption;

import java.net.URI;
import java.util.Map;

import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.stereotype.Component;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.wallet.idempotency.StoredAnswer;
import io.rushcoupon.web.problem.Problems;
import tools.jackson.databind.json.JsonMapper;

/**
 * A redemption's answers as the JSON stored with its {@code Idempotency-Key}: written once, sent
 * as they are to the first request and to every repeat. Problems are web-support's (Problems), with
 * Spring MVC's mix-in, so they read as every other problem the services answer.
 */
@Component
class RedemptionAnswers {

    private final JsonMapper json;

    RedemptionAnswers(JsonMapper json) {
        this.json = json.rebuild().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();
    }

    StoredAnswer created(RedemptionResponse redemption) {
        return new StoredAnswer(201, json.writeValueAsString(redemption));
    }

    StoredAnswer refused(ErrorCode code, String detail, Map<String, Object> properties, URI instance) {
        ProblemDetail problem = Problems.of(code, detail, properties);
        problem.setInstance(instance);
        return new StoredAnswer(code.httpStatus(), json.writeValueAsString(problem));
    }

    /** The redemption a stored 201 answer made. */
    long redemptionId(StoredAnswer created) {
        return json.readTree(created.body()).required("redemptionId").asLong();
    }
}
