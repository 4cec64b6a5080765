package io.rushcoupon.web.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.web.WebProperties;
import io.rushcoupon.web.limit.BodySizeLimitFilter;

/** What the shared advice and body limit answer, on a throwaway controller. */
@ExtendWith(OutputCaptureExtension.class)
class ProblemDetailsAdviceTest {

    private static final String SECRET_IN_MESSAGE = "jdbc:postgresql://db/prod?password=hunter2";

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new ThrowingController())
            .setControllerAdvice(new ProblemDetailsAdvice(new WebProperties(DataSize.ofKilobytes(64), Duration.ofSeconds(3))))
            .addFilters(ProblemDetailsAdviceTest::chunkedWhenAsked,
                    new BodySizeLimitFilter(DataSize.ofBytes(1024)))
            .build();

    /** Plays a chunked upload, which declares no length, for requests marked so. */
    private static void chunkedWhenAsked(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,
            jakarta.servlet.FilterChain chain) throws IOException, jakarta.servlet.ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        chain.doFilter(http.getHeader(CHUNKED) != null ? new Chunked(http) : request, response);
    }

    private static final String CHUNKED = "X-Test-Chunked";

    @Test
    void answersAnUnexpectedFailureWithoutStackTraceOrMessage(CapturedOutput output) throws Exception {
        MvcResult result = mvc.perform(get("/boom"))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("INTERNAL_ERROR"))
                .andExpect(jsonPath("$.trace").doesNotExist())
                .andExpect(jsonPath("$.exception").doesNotExist())
                .andReturn();

        String body = result.getResponse().getContentAsString();
        assertThat(body).doesNotContain(SECRET_IN_MESSAGE, "hunter2", "IllegalStateException", "\tat ",
                ThrowingController.class.getName());
        // operators still get the failure in the log
        assertThat(output).contains("Unexpected failure");
    }

    @Test
    void refusesADeclaredOversizedBodyBeforeReadingIt() throws Exception {
        mvc.perform(post("/echo").contentType(MediaType.APPLICATION_JSON).content("{\"a\":\"" + "x".repeat(2000) + "\"}"))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void refusesAnOversizedBodyWithoutDeclaredLengthWhileReadingIt() throws Exception {
        byte[] body = ("{\"a\":\"" + "x".repeat(5000) + "\"}").getBytes();
        mvc.perform(post("/echo").contentType(MediaType.APPLICATION_JSON).header(CHUNKED, "1").content(body))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(jsonPath("$.code").value("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void readsABodyWithinTheLimitEvenWithoutDeclaredLength() throws Exception {
        byte[] body = "{\"a\":\"small\"}".getBytes();
        mvc.perform(post("/echo").contentType(MediaType.APPLICATION_JSON).header(CHUNKED, "1").content(body))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.a").value("small"));
    }

    @Test
    void refusesAnOversizedBodyWithoutDeclaredLengthReadThroughTheReader() throws Exception {
        byte[] body = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
        mvc.perform(post("/text").contentType(MediaType.TEXT_PLAIN).header(CHUNKED, "1").content(body))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void readsABodyWithinTheLimitThroughTheReaderEvenWithoutDeclaredLength() throws Exception {
        byte[] body = "small".getBytes(StandardCharsets.UTF_8);
        mvc.perform(post("/text").contentType(MediaType.TEXT_PLAIN).header(CHUNKED, "1").content(body))
                .andExpect(status().isOk())
                .andExpect(content().string("5"));
    }

    @Test
    void answersEveryServiceUnavailableWithTheConfiguredRetryAfter() throws Exception {
        mvc.perform(get("/unavailable"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("UNAVAILABLE"))
                .andExpect(header().string("Retry-After", "3"));
    }

    @Test
    void answersARetryLaterRefusalWithItsOwnRetryAfterRoundedUpToSeconds() throws Exception {
        mvc.perform(get("/busy"))
                .andExpect(status().isTooManyRequests())
                .andExpect(jsonPath("$.code").value("BUSY"))
                .andExpect(header().string("Retry-After", "2"));
    }

    @Test
    void answersOtherErrorsWithoutRetryAfter() throws Exception {
        mvc.perform(get("/not-found"))
                .andExpect(status().isNotFound())
                .andExpect(header().doesNotExist("Retry-After"));
    }

    @Test
    void answersAHeaderValueTheFirewallRefusesWithValidationFailed() throws Exception {
        mvc.perform(get("/rejected"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"));
    }

    @Test
    void answersMalformedJsonWithValidationFailed() throws Exception {
        mvc.perform(post("/echo").contentType(MediaType.APPLICATION_JSON).content("{\"a\":"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"));
    }

    @RestController
    static class ThrowingController {

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("cannot reach " + SECRET_IN_MESSAGE);
        }

        @GetMapping("/unavailable")
        String unavailable() {
            throw new CouponException(ErrorCode.UNAVAILABLE, "Redis is unreachable; try again later.");
        }

        @GetMapping("/busy")
        String busy() {
            throw new RetryLaterException(ErrorCode.BUSY, "Another request of yours is running.", Duration.ofMillis(1500));
        }

        @GetMapping("/rejected")
        String rejected() {
            // what StrictHttpFirewall throws when a handler reads a header value it does not allow
            throw new RequestRejectedException("The request was rejected because the header has a value that is not allowed.");
        }

        @GetMapping("/not-found")
        String notFound() {
            throw new CouponException(ErrorCode.COUPON_NOT_FOUND, "No such coupon.");
        }

        @PostMapping("/echo")
        Map<String, Object> echo(@RequestBody Map<String, Object> body) {
            return body;
        }

        /** Reads the body through {@link HttpServletRequest#getReader()}, as a handler taking a Reader does. */
        @PostMapping("/text")
        String length(Reader body) throws IOException {
            return Long.toString(body.transferTo(Writer.nullWriter()));
        }
    }

    /** The request as a chunked upload arrives: no declared length. */
    private static final class Chunked extends HttpServletRequestWrapper {

        Chunked(HttpServletRequest request) {
            super(request);
        }

        @Override
        public long getContentLengthLong() {
            return -1;
        }

        @Override
        public int getContentLength() {
            return -1;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ByteArrayInputStream in = new ByteArrayInputStream(getRequest().getInputStream().readAllBytes());
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                }
            };
        }
    }
}
