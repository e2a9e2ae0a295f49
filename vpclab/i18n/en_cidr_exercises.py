"""English messages of the lesson 02 exercises about subnets in a VPC (cidr.q9 to cidr.q12)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "hint.cidr.q9": "follow the request hop by hop, as in the worked example: does a route cover 10.0.8.0/24, "
                    "does the default network ACL let it through, and whom does the rule of db-sg let in?",
    "hint.cidr.q10": "a /22 spans 4 values of the third octet, starting at a multiple of 4: write its first and "
                     "last address, then test each existing subnet against that range",
    "hint.cidr.q11": "the new block must lie inside 10.0.0.0/16 and share no address with app, db or batch; "
                     "try the /24 blocks from 10.0.0.0 upward",
    "hint.cidr.q12": "what does AWS add to every route table of a VPC when the VPC gets a new block? "
                     "Then check the network ACL and the rules of db-sg, as in the worked example",
    "cidr.exercise.not_text": "the answer is one CIDR block written as a string, not {value} ({type})",
    "cidr.exercise.not_text_fix": "put the block in quotes, like '172.16.1.0/24'",
    "cidr.exercise.wrong_size": "{cidr} is a /{prefix}, and the team asked for a /{wanted}",
    "cidr.exercise.wrong_size_fix": "keep the prefix length /{wanted}, and choose where the block starts",
    "cidr.exercise.refused": "AWS refuses {cidr}: {problem}",
    # --- each learner's numbers (parameters_table) ---------------------------------------------
    "cidr.exercise.numbers.split": "question 4: the VPC block to split into 4 equal subnets",
    "cidr.exercise.numbers.address": "question 7: the address whose /22 network you find",
    "cidr.exercise.numbers.taken": "question 8: the subnets that 10.0.0.0/16 already has",
    "cidr.exercise.numbers.refused": "question 10: the /22 block a colleague asks for, which AWS refuses",
    "cidr.exercise.refused_fix": "choose a block inside {vpc} that shares no address with the subnets "
                                 "{subnets}",
}
