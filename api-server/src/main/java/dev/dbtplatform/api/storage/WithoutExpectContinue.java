package dev.dbtplatform.api.storage;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Sends requests with a body without "Expect: 100-continue". The JDK's URL connection writes the
 * body while Jetty-based S3 servers (s3proxy) already answer or close, which fails the request
 * with "Error writing request body to server", on every retry alike.
 */
public final class WithoutExpectContinue implements ExecutionInterceptor {
  @Override
  public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    return context.httpRequest().toBuilder().removeHeader("Expect").build();
  }
}
