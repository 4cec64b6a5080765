package io.rushcoupon.gateway.issue;

import io.rushcoupon.common.issue.IssueStatus;

/** The 202 answer: the request is admitted and on its way to the worker; poll its status. */
record IssueRequestAccepted(String requestId, long couponId, IssueStatus status) {

    static IssueRequestAccepted pending(String requestId, long couponId) {
        return new IssueRequestAccepted(requestId, couponId, IssueStatus.PENDING);
    }
}
