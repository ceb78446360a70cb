/**
 * Field names that hold personal data anywhere in the backbone. The logger redacts them at any
 * of the depths it logs; DTOs and entities use these names for personal data so that the list
 * stays the single place to extend.
 */
export const PERSONAL_FIELDS = [
  'nationalId',
  'citizenId',
  'fullName',
  'name',
  'dateOfBirth',
  'phone',
  'phoneNumber',
  'email',
  'address',
  'password',
] as const;
