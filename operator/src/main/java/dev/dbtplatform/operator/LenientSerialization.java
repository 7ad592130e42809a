package dev.dbtplatform.operator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the operator reads objects: a value of the wrong type (a string where a list or a number
 * belongs) is dropped with a warning instead of failing. An API server's schema validation keeps
 * such values out, but not every API server validates (the embedded stand-in does not) and
 * objects stored before a schema change escape it; failing would stop the informer, and with it
 * the operator, for every run. A dropped field then shows up as what is missing, and the run
 * ends as InvalidSpec with a message.
 */
final class LenientSerialization {
  private static final Logger log = LoggerFactory.getLogger(LenientSerialization.class);

  private LenientSerialization() {}

  static KubernetesSerialization create() {
    ObjectMapper mapper = new ObjectMapper().addHandler(new DropWrongTypes());
    return new KubernetesSerialization(mapper, true);
  }

  private static final class DropWrongTypes extends DeserializationProblemHandler {
    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
                                        String failureMsg) throws IOException {
      warn(p, targetType.getRawClass());
      p.skipChildren();
      return null;
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
                                         String failureMsg) throws IOException {
      warn(ctxt.getParser(), targetType);
      return null;
    }

    @Override
    public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number valueToConvert,
                                         String failureMsg) throws IOException {
      warn(ctxt.getParser(), targetType);
      return null;
    }

    @Override
    public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass, ValueInstantiator valueInsta,
                                            JsonParser p, String msg) throws IOException {
      warn(p, instClass);
      p.skipChildren();
      return null;
    }

    private static void warn(JsonParser p, Class<?> targetType) {
      log.warn("ignored field '{}': its value is not a {}", p.getParsingContext().pathAsPointer(), targetType.getSimpleName());
    }
  }
}
