#!/usr/bin/env python3
"""Splits a gateway's JFR execution samples into the parts of the issue path, for docs/benchmarks.md.

Usage: jfr print --events jdk.ExecutionSample --stack-depth 96 rc-<pid>.jfr > samples.txt
       python3 jfr_partition.py samples.txt HH:MM:SS HH:MM:SS   (the measured rush's window)

Each sample counts once: Redisson's and Kafka's I/O threads by thread name; a request thread's
sample goes to the first frame, from the leaf up, that belongs to a part below (so time in a
HashMap called by Micrometer is Micrometer's). The shares add up to 100%.
"""
import collections
import re
import sys

PARTS = [
    ('per-user lock and unlock (caller side)', r'UserLocks'),
    ('pre-check script (caller side)', r'CouponRedis\.precheck'),
    ('read-only pre-check + rate limit (caller side)', r'CouponRedis\.check'),
    ('Kafka send (caller side)', r'IssueEventPublisher|KafkaTemplate|KafkaProducer'),
    ('JWT signature and claims', r'NimbusJwtDecoder|JwtAuthenticationProvider|nimbus'),
    ('tracing', r'io\.micrometer\.tracing|brave\.'),
    ('Micrometer metrics and observations', r'io\.micrometer'),
    ('security header checks (firewall, bearer resolver)', r'StrictHttpFirewall|DefaultBearerTokenResolver'),
    ('JSON response body', r'tools\.jackson|HttpMessageConverter|MessageConverterMethodProcessor'),
    ('refusal answers (exception resolution)', r'ExceptionHandlerExceptionResolver|ProblemDetail|java\.lang\.Throwable'),
    ('Spring Security, other', r'org\.springframework\.security'),
    ('Spring MVC', r'org\.springframework\.web|DispatcherServlet'),
    ('Tomcat HTTP/1.1', r'org\.apache\.(coyote|tomcat|catalina)'),
    ('RushCoupon code, other', r'io\.rushcoupon'),
]


def part_of(event):
    thread = re.search(r'sampledThread = "([^"]*)"', event).group(1)
    if thread.startswith('redisson'):
        return 'Redisson I/O threads (Netty)'
    if thread.startswith('kafka-producer'):
        return 'Kafka producer I/O thread'
    if not thread.startswith('tomcat'):
        return 'other threads'
    for frame in re.findall(r'^\s+([\w.$<>]+)\(', event, re.M):
        for name, pattern in PARTS:
            if re.search(pattern, frame):
                return name
    return 'JDK, other'


def main(samples, start, end):
    shares = collections.Counter()
    for event in open(samples).read().split('jdk.ExecutionSample {')[1:]:
        at = re.search(r'startTime = (\d\d:\d\d:\d\d)', event).group(1)
        if start <= at <= end:
            shares[part_of(event)] += 1
    total = sum(shares.values())
    print(f'{total} samples from {start} to {end}')
    for name, count in shares.most_common():
        print(f'| {name} | {100 * count / total:.1f}% |')


if __name__ == '__main__':
    main(*sys.argv[1:4])
