import { ObjectType } from 'type-graphql';
import { ConnectionType } from '@hub/toolkit';
import { Initiative } from '../entities/initiative.js';
import { Link } from '../entities/link.js';
import { Participation } from '../entities/participation.js';

@ObjectType()
export class InitiativeConnection extends ConnectionType(Initiative, 'Initiative') {}

@ObjectType()
export class ParticipationConnection extends ConnectionType(Participation, 'Participation') {}

@ObjectType()
export class LinkConnection extends ConnectionType(Link, 'Link') {}
