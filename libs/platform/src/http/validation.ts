import { ValidationPipe } from '@nestjs/common';
import { fieldProblemsFrom, ValidationProblemException } from './problem-details';

/**
 * Unknown fields are refused rather than dropped (a client sending `nationalID` should learn it is
 * misspelt), and payloads become DTO instances. Values are never echoed back: they may be personal.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblemException(fieldProblemsFrom(errors)),
  });
}
