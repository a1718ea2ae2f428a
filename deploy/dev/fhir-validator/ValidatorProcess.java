/*
 * HAPI FHIR's reference instance validator (FhirInstanceValidator) as a
 * long-lived process for the hub's FHIR conformance tests
 * (test/harness/fhirValidator.ts): one FHIR R4 resource as JSON per line on
 * standard input, one line of JSON per resource on standard output, in the
 * same order: {"ok":true,"messages":[{"severity","messageId","location","message"}]}
 * or {"ok":false,"error":"..."} when the line is not a resource.
 *
 * Offline: the R4 core definitions come from hapi-fhir-validation-resources-r4;
 * code systems that cannot be resolved without a terminology server (LOINC,
 * SNOMED CT, ICD-10, ATC) are reported as warnings, which the harness counts.
 *
 *   java -cp "<jars>/*" deploy/dev/fhir-validator/ValidatorProcess.java
 * (Java 11+ launches a single source file without a build step.)
 */
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

public class ValidatorProcess {
  public static void main(String[] args) throws Exception {
    FhirContext context = FhirContext.forR4();
    UnknownCodeSystemWarningValidationSupport unknownCodeSystems = new UnknownCodeSystemWarningValidationSupport(context);
    unknownCodeSystems.setNonExistentCodeSystemSeverity(
        ca.uhn.fhir.context.support.IValidationSupport.IssueSeverity.WARNING);
    ValidationSupportChain chain = new ValidationSupportChain(
        new DefaultProfileValidationSupport(context),
        new CommonCodeSystemsTerminologyService(context),
        new InMemoryTerminologyServerValidationSupport(context),
        new SnapshotGeneratingValidationSupport(context),
        unknownCodeSystems);
    FhirInstanceValidator module = new FhirInstanceValidator(chain);
    module.setAnyExtensionsAllowed(true);
    FhirValidator validator = context.newValidator().registerValidatorModule(module);

    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    out.println("{\"ready\":true}");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) continue;
      JsonObject reply = new JsonObject();
      try {
        ValidationResult result = validator.validateWithResult(line);
        JsonArray messages = new JsonArray();
        for (SingleValidationMessage message : result.getMessages()) {
          JsonObject item = new JsonObject();
          ResultSeverityEnum severity = message.getSeverity();
          item.addProperty("severity", severity == null ? "information" : severity.getCode());
          item.addProperty("messageId", message.getMessageId());
          item.addProperty("location", message.getLocationString());
          item.addProperty("message", message.getMessage());
          messages.add(item);
        }
        reply.addProperty("ok", true);
        reply.add("messages", messages);
      } catch (RuntimeException error) {
        reply.addProperty("ok", false);
        reply.addProperty("error", String.valueOf(error.getMessage()));
      }
      out.println(reply.toString());
    }
  }
}
