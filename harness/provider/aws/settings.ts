import { z } from 'zod';

const role = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be a role name: lower-case letters, digits and dashes');
const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as 't3.micro'");
const cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, "must be an IPv4 CIDR such as '203.0.113.7/32'")
  .refine((c) => !/^0\.0\.0\.0\/0$/.test(c), 'must not be 0.0.0.0/0: name the addresses that run Shakedown');

/**
 * The project file's `aws:` section. Optional as a whole: a project that never runs on AWS says
 * nothing, and `--provider aws` then stops with a one-line error naming the missing keys.
 */
export const awsSettingsSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as 'eu-west-1'"),
    /** A profile of the shared AWS config files; the SDK's default chain when absent. */
    profile: z.string().min(1).optional(),
    /** The addresses allowed to reach the bastion's SSH port. */
    sshCidr: cidr,
    /** The instance type of every role not named in `instanceTypes`. */
    instanceType: instanceType.default('t3.micro'),
    instanceTypes: z.record(role, instanceType).default({}),
    /** Size of each persistent volume, GiB. */
    volumeSize: z.number().int().min(1).max(1024).default(8),
    /** An existing VPC and one of its subnets; without them each environment gets its own VPC. */
    vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, "must be a VPC id such as 'vpc-0abc…'").optional(),
    subnetId: z.string().regex(/^subnet-[0-9a-f]+$/, "must be a subnet id such as 'subnet-0abc…'").optional(),
    /** The AMI images are baked on; an official Debian 12 AMI when absent. */
    baseAmi: z.string().regex(/^ami-[0-9a-f]+$/, "must be an AMI id such as 'ami-0abc…'").optional(),
    /** Where stacks' state lives: any Pulumi backend URL; a file backend under the state folder when absent. */
    backend: z.string().regex(/^(file|s3|gs|azblob|https?):\/\//, 'must be a Pulumi backend URL (file://, s3://, https://…)').optional(),
  })
  .strict()
  .refine((s) => !s.vpcId === !s.subnetId, { message: 'vpcId and subnetId go together: name both, or neither for a VPC per environment', path: ['subnetId'] });

export type AwsSettingsInput = z.input<typeof awsSettingsSchema>;
export type AwsSettings = z.output<typeof awsSettingsSchema>;

/** The instance type a role runs on. */
export function instanceTypeOf(settings: AwsSettings, role: string): string {
  return settings.instanceTypes[role] ?? settings.instanceType;
}
