"""English messages of vpclab.collect (merged into the catalog by vpclab.i18n.en)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "collect.help.command": "read a live AWS account (read-only, through boto3) into one describe JSON file",
    "collect.not_read_only": "vpclab collect only reads, and {operation} is not a describe, get or search operation: it was not sent",
    "collect.not_read_only_fix": "collect with describe_*, get_* and search_* calls only; change the account with the AWS console or CLI instead",
    "collect.items": "{count} items",
    "collect.pages": " in {pages} pages",
    "collect.routes_split": "more than {count} routes; asking for static and propagated routes separately",
    "collect.routes_truncated": "WARNING: AWS returned only the first 1,000 {kind} routes of {table}; the file lacks the rest",
    "collect.no_boto3": "vpclab collect reads AWS through boto3, which is not installed",
    "collect.no_boto3_fix": "pip install 'vpclab[aws]'",
    "collect.no_region": "no AWS Region is set for the session",
    "collect.no_region_fix": "give one with --region (like --region us-east-1), or set AWS_DEFAULT_REGION or region in the profile",
    "collect.no_credentials": "no AWS credentials were found",
    "collect.no_credentials_fix": "run aws configure (or aws sso login), pick a profile with --profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    "collect.no_profile": "there is no AWS profile '{profile}' in the AWS config and credentials files",
    "collect.no_profile_fix": "list the profiles with aws configure list-profiles and give one of them with --profile",
    "collect.refused": "AWS refused {operation}: {problem}",
    "collect.denied_fix": "give the identity read access to EC2 (the AWS managed policy AmazonEC2ReadOnlyAccess or ReadOnlyAccess allows every call vpclab collect makes)",
    "collect.credentials_fix": "the credentials are wrong or have expired: refresh them (aws sso login, a new session token) and run again",
    "collect.refused_fix": "check the AWS error and run again",
    "collect.botocore": "the call to AWS failed: {problem}",
    "collect.botocore_fix": "check the network connection and the Region name, then run again",
    "collect.no_folder": "the folder {folder} for the output file does not exist",
    "collect.no_folder_fix": "create the folder first, or write the file somewhere else with -o",
    "collect.written": "wrote {path}: {counts} ({calls} calls)",
    "collect.help.profile": "the AWS profile to use (default: the AWS CLI's default)",
    "collect.help.region": "the Region to read (default: the profile's or AWS_DEFAULT_REGION)",
    "collect.help.output": "the JSON file to write (replaced at once when complete)",
    "collect.help.quiet": "no progress lines on stderr",
}
